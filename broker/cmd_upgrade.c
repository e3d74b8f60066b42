/* leapp upgrade: everything preupgrade does, then download, test, prepare and reboot; --resume. */
#include "cli.h"

static const char usage[] =
	"usage: leapp upgrade [--resume [--force]] [--reboot] [OPTIONS]\n\n"
	"Upgrade the system: the preupgrade checks, then download and test the packages, build the\n"
	"upgrade initramfs and its one-time boot entry. Reboot to continue; the upgrade initramfs runs\n"
	"leapp upgrade --resume, and so does the first boot of the upgraded system.\n\n"
	"exit codes: 0 success or \"reboot to continue\", 1 error, 2 usage, 3 inhibited\n\noptions:\n";

int cmd_upgrade(int argc, char **argv, struct leapp_ctx *c)
{
	int oi, r = parse_options(argc, argv, OPT_WORKFLOW | OPT_RESUME | OPT_FORCE, c, usage, &oi);
	if (r)
		return r == 1 ? EXIT_OK : r;
	if (oi < argc) {
		fprintf(stderr, "leapp upgrade: unexpected argument '%s'\n", argv[oi]);
		return EXIT_USAGE;
	}
	return workflow_command(c, RUN_UPGRADE);
}

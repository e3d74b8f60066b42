/* leapp upgrade: everything preupgrade does, then download, test, prepare and reboot; --resume. */
#include "cli.h"
#include "output.h"
#include "rollback.h"

static const struct cli_cmd cmd = {
	"upgrade",
	"usage: leapp upgrade [--reboot] [OPTIONS]\n"
	"       leapp upgrade --resume [--force] [--reboot] [OPTIONS]\n\n"
	"Upgrade the system: the preupgrade checks, then download and test the target packages and\n"
	"build the upgrade initramfs with its one-time boot entry. Then reboot (or give --reboot): the\n"
	"upgrade initramfs runs leapp upgrade --resume for the RPM transaction and the phases up to\n"
	"Finalization, and the first boot of the upgraded system runs it once more for FirstBoot.\n"
	"While a reboot is pending, /var/lib/leapp/reboot-required exists, and leapp rollback undoes\n"
	"the prepared upgrade.\n\n"
	"--resume continues the last upgrade where it stopped; it refuses to run again an actor that\n"
	"failed unless --force is given, and refuses to go on before the requested reboot happened.\n\n"
	"exit codes: 0 success, also \"reboot to continue\", 1 error, 2 usage, 3 inhibited\n",
	OPT_WORKFLOW | OPT_SNAPSHOT | OPT_RESUME | OPT_FORCE | OPT_REBOOT,
};

int cmd_upgrade(int argc, char **argv, struct leapp_ctx *c)
{
	int r = parse_options_no_args(argc, argv, &cmd, c);
	if (r)
		return r == 1 ? EXIT_OK : r;
	if (c->opt.resume)
		return workflow_command(c, RUN_UPGRADE, cmd.name);
	r = workflow_load(c, cmd.name);
	if (!r)
		r = workflow_open(c, RUN_UPGRADE, true);
	if (r)
		return workflow_fail(c, r);
	/* before anything changes: what leapp rollback needs to undo the prepared upgrade */
	char *err = NULL;
	if (rollback_record_save(c->root, c->statedir, &err) < 0) {
		output_diag(c->out, "error", "%s", err);
		free(err);
		return workflow_fail(c, EXIT_ERROR);
	}
	return workflow_run(c, RUN_UPGRADE);
}

/* leapp preupgrade: collect facts, check them, plan the transaction, write the report. */
#include "cli.h"

static const char usage[] =
	"usage: leapp preupgrade [OPTIONS]\n\n"
	"Check whether this system can be upgraded, plan the upgrade, and write the report to\n"
	"/var/log/leapp/leapp-report.{txt,json}. Nothing on the system changes except leapp's\n"
	"own database, logs and report.\n\n"
	"exit codes: 0 no inhibitor, 1 error, 2 usage, 3 inhibited\n\noptions:\n";

int cmd_preupgrade(int argc, char **argv, struct leapp_ctx *c)
{
	int oi, r = parse_options(argc, argv, OPT_WORKFLOW, c, usage, &oi);
	if (r)
		return r == 1 ? EXIT_OK : r;
	if (oi < argc) {
		fprintf(stderr, "leapp preupgrade: unexpected argument '%s'\n", argv[oi]);
		return EXIT_USAGE;
	}
	return workflow_command(c, RUN_PREUPGRADE);
}

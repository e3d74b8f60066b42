/* leapp preupgrade: collect facts, check them, plan the transaction, write the report. */
#include "cli.h"

static const struct cli_cmd cmd = {
	"preupgrade",
	"usage: leapp preupgrade [OPTIONS]\n\n"
	"Check whether this system can be upgraded and plan the upgrade: run the phases up to Reports,\n"
	"then write /var/log/leapp/leapp-report.txt and leapp-report.json and print an overview.\n"
	"Nothing on the system changes except leapp's own database, logs and report. The previous\n"
	"report and log are moved to /var/log/leapp/archive/ first.\n\n"
	"exit codes: 0 nothing inhibits the upgrade, 1 error, 2 usage, 3 inhibited\n",
	OPT_WORKFLOW | OPT_SNAPSHOT,
};

int cmd_preupgrade(int argc, char **argv, struct leapp_ctx *c)
{
	int r = parse_options_no_args(argc, argv, &cmd, c);
	if (r)
		return r == 1 ? EXIT_OK : r;
	return workflow_command(c, RUN_PREUPGRADE, cmd.name);
}

/* The command table and what commands share (option parsing, the workflow commands). */
#ifndef BROKER_CLI_H
#define BROKER_CLI_H

#include "broker.h"

/*
 * Adding a command:
 *   1. write broker/cmd_<name>.c with `int cmd_<name>(int argc, char **argv, struct leapp_ctx *c)`
 *      returning an exit code (EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_INHIBITED);
 *   2. declare it below and add it to the table in broker/main.c with its one-line summary;
 *   3. give it a --help (usage_<name>) that lists every option;
 *   4. document it in docs/leapp.1.md and test it in tests/cli/.
 */
int cmd_preupgrade(int argc, char **argv, struct leapp_ctx *c);
int cmd_upgrade(int argc, char **argv, struct leapp_ctx *c);
int cmd_answer(int argc, char **argv, struct leapp_ctx *c);
int cmd_rerun(int argc, char **argv, struct leapp_ctx *c);
int cmd_list_runs(int argc, char **argv, struct leapp_ctx *c);
int cmd_report(int argc, char **argv, struct leapp_ctx *c);
int cmd_actor(int argc, char **argv, struct leapp_ctx *c);

/* Option bits for parse_options(). */
enum {
	OPT_ROOT = 1 << 0,
	OPT_JOBS = 1 << 1,
	OPT_JSON = 1 << 2,
	OPT_VERBOSE = 1 << 3, /* --verbose, --debug */
	OPT_FORCE = 1 << 4,
	OPT_TARGET = 1 << 5,
	OPT_ENABLEREPO = 1 << 6,
	OPT_EXPERIMENTAL = 1 << 7, /* --whitelist-experimental, --enable-experimental-feature */
	OPT_REPORT_SCHEMA = 1 << 8,
	OPT_NOGPGCHECK = 1 << 9,
	OPT_RESUME = 1 << 10, /* --resume, --reboot */
	OPT_NO_SANDBOX = 1 << 11,
	OPT_WORKFLOW = OPT_ROOT | OPT_JOBS | OPT_JSON | OPT_VERBOSE | OPT_TARGET | OPT_ENABLEREPO | OPT_EXPERIMENTAL |
		       OPT_REPORT_SCHEMA | OPT_NOGPGCHECK | OPT_NO_SANDBOX,
};

/* Parse options (getopt_long) into c->opt. Positional arguments are left in argv[*ret_optind..].
 * Returns 0, or EXIT_USAGE after printing why; 1 when --help was printed. */
int parse_options(int argc, char **argv, unsigned allowed, struct leapp_ctx *c, const char *usage, int *ret_optind);
/* Print the option lines for the allowed set (used by the --help texts). */
void print_option_help(FILE *f, unsigned allowed);

/* Run preupgrade or upgrade (and --resume): load, lock, archive, run, report, overview. */
int workflow_command(struct leapp_ctx *c, enum run_kind kind);

/* Render the report files and the console overview of one execution. */
int render_report(struct leapp_ctx *c, const struct execution *ex, bool print_overview, const struct engine_result *res);

#endif

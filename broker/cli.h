/* The command table and what commands share (option parsing, the workflow commands). */
#ifndef BROKER_CLI_H
#define BROKER_CLI_H

#include <stdio.h>

#include "broker.h"

/*
 * Adding a command (the git way: one file per command, one table):
 *   1. write broker/cmd_<name>.c with `int cmd_<name>(int argc, char **argv, struct leapp_ctx *c)`
 *      returning an exit code (EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_INHIBITED); argv[0] is
 *      the command name;
 *   2. declare it below and add it to the table in broker/main.c with its one-line summary;
 *   3. describe it with a struct cli_cmd (name, synopsis and description, OPT_* bits) and
 *      parse with parse_options(): --help then lists exactly the options it accepts;
 *   4. document it in docs/leapp.1.md and test it in tests/cli/.
 */
int cmd_preupgrade(int argc, char **argv, struct leapp_ctx *c);
int cmd_upgrade(int argc, char **argv, struct leapp_ctx *c);
int cmd_answer(int argc, char **argv, struct leapp_ctx *c);
int cmd_rerun(int argc, char **argv, struct leapp_ctx *c);
int cmd_list_runs(int argc, char **argv, struct leapp_ctx *c);
int cmd_report(int argc, char **argv, struct leapp_ctx *c);
int cmd_actor(int argc, char **argv, struct leapp_ctx *c);
int cmd_rollback(int argc, char **argv, struct leapp_ctx *c);
int cmd_snapshot(int argc, char **argv, struct leapp_ctx *c);

/* Option bits: which options a command accepts (one table in options.c). */
enum {
	OPT_ROOT = 1 << 0,
	OPT_JOBS = 1 << 1,
	OPT_JSON_PROGRESS = 1 << 2,
	OPT_VERBOSE = 1 << 3,       /* --verbose, --debug */
	OPT_FORCE = 1 << 4,
	OPT_TARGET = 1 << 5,        /* --target (alias --target-version) */
	OPT_ENABLEREPO = 1 << 6,
	OPT_EXPERIMENTAL = 1 << 7,  /* --whitelist-experimental, --enable-experimental-feature */
	OPT_REPORT_SCHEMA = 1 << 8,
	OPT_NOGPGCHECK = 1 << 9,
	OPT_RESUME = 1 << 10,       /* --resume */
	OPT_REBOOT = 1 << 11,       /* --reboot */
	OPT_NO_SANDBOX = 1 << 12,
	OPT_SECTION = 1 << 13,      /* answer: --section S.K=V, --add */
	OPT_FROM_PHASE = 1 << 14,   /* rerun: --from-phase */
	OPT_ACTOR_INPUT = 1 << 15,  /* actor run: --input, --from-last-run, --save-output */
	OPT_JSON = 1 << 16,         /* list-runs, actor list: --json */
	OPT_IGNORED = 1 << 17,      /* leapp's RHEL-only options: accepted, logged, no effect */
	OPT_KEEP_CACHE = 1 << 18,   /* rollback: --keep-cache */
	OPT_SNAPSHOT = 1 << 19,     /* preupgrade, upgrade: --snapshot */
	OPT_WORKFLOW = OPT_ROOT | OPT_JOBS | OPT_JSON_PROGRESS | OPT_VERBOSE | OPT_TARGET | OPT_ENABLEREPO |
		       OPT_EXPERIMENTAL | OPT_REPORT_SCHEMA | OPT_NOGPGCHECK | OPT_NO_SANDBOX | OPT_IGNORED,
};

/* A command (or sub-command) as parse_options() and --help see it. */
struct cli_cmd {
	const char *name;   /* as shown in messages: "upgrade", "actor run" */
	const char *usage;  /* synopsis and description; --help prints it, then the options */
	unsigned options;   /* OPT_* bits */
};

/* What the command-specific options hold (the shared ones go to c->opt). */
struct cli_args {
	char **sections;            /* answer --section (each already split at commas) */
	size_t n_sections;
	bool add;                   /* answer --add */
	char *from_phase;           /* rerun --from-phase */
	char *input;                /* actor run --input */
	bool from_last_run;         /* actor run --from-last-run */
	bool save_output;           /* actor run --save-output */
	bool json;                  /* --json */
	bool keep_cache;            /* rollback --keep-cache */
};
void cli_args_clear(struct cli_args *a);

/*
 * Parse argv (argv[0] is the command name) with getopt_long, options and positional
 * arguments in any order; the positional ones end up in argv[*ret_optind..argc). Option
 * values are checked here (--jobs, --report-schema, --target, --section). Returns 0; 1 when
 * --help was printed (exit 0); EXIT_USAGE after printing what is wrong.
 */
int parse_options(int argc, char **argv, const struct cli_cmd *cmd, struct leapp_ctx *c, struct cli_args *a,
		  int *ret_optind);
/* Print the help of a command: its usage text and one line per option it accepts. */
void print_command_help(FILE *f, const struct cli_cmd *cmd);
/* "leapp CMD: unexpected argument 'X'" when argv[optind..] is not empty; returns EXIT_USAGE or 0. */
int no_more_arguments(const struct cli_cmd *cmd, int argc, char **argv, int optind);
/* For a command of options only (preupgrade, upgrade): parse_options(), the cli_args dropped,
 * then no_more_arguments(). The same returns as parse_options(). */
int parse_options_no_args(int argc, char **argv, const struct cli_cmd *cmd, struct leapp_ctx *c);

/* The output of a command, set up from the parsed options (replaces output_global). */
void cli_setup_output(struct leapp_ctx *c, bool human_to_stderr);
/* ctx_init() with the exit code it means: 0, EXIT_USAGE (--root is not a directory). */
int cli_init(struct leapp_ctx *c);
/*
 * After ctx_load(): check the options that need the actors (--whitelist-experimental names
 * an actor, --enable-experimental-feature a known feature). Returns 0 or EXIT_USAGE.
 */
int check_actor_options(struct leapp_ctx *c, const char *cmdname);

/*
 * The workflow commands, in three steps that each return an exit code (0: go on):
 *   workflow_load()  output, paths (--root), models, actors, workflow, configuration, and
 *                    the options that need them; nothing on disk changes yet;
 *   workflow_open()  the lock and the store, archiving the previous report and log (archive),
 *                    the log file (which also gets what was logged before it was open);
 *   workflow_run()   the engine, the report files, the overview, the reboot state file and
 *                    --reboot, and the final "done" event.
 * workflow_fail() ends the JSON stream of a command that stopped before workflow_run().
 */
int workflow_load(struct leapp_ctx *c, const char *cmdname);
int workflow_open(struct leapp_ctx *c, enum run_kind kind, bool archive);
int workflow_run(struct leapp_ctx *c, enum run_kind kind);
int workflow_fail(struct leapp_ctx *c, int exit_code);
/* All three, for preupgrade and upgrade (archiving unless --resume). */
int workflow_command(struct leapp_ctx *c, enum run_kind kind, const char *cmdname);

/* Render the report files, the "report" events and (when res, after a run) the console overview. */
int render_report(struct leapp_ctx *c, const struct execution *ex, const struct engine_result *res);

/* The newest preupgrade or upgrade execution (for answer, report, actor run --from-last-run). */
int last_workflow_execution(struct store *s, struct execution *ret);

#endif

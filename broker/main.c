/* leapp: the command-line front end and broker. One table of commands, one file per command. */
#include "cli.h"
#include "output.h"

#define LEAPP_VERSION "0.1"

struct command {
	const char *name;
	int (*fn)(int argc, char **argv, struct leapp_ctx *c);
	const char *summary;
};

/* The commands, in the order --help lists them (see cli.h for adding one). */
static const struct command commands[] = {
	{"preupgrade", cmd_preupgrade, "check whether the system can be upgraded and write the report"},
	{"upgrade", cmd_upgrade, "upgrade the system; --resume continues after the reboot"},
	{"answer", cmd_answer, "answer a question of the upgrade: --section SCOPE.KEY=VALUE"},
	{"rerun", cmd_rerun, "run the last upgrade again from one of its phases after the reboot"},
	{"list-runs", cmd_list_runs, "list the runs recorded in the audit store"},
	{"report", cmd_report, "write the report files of the last run (or another) again"},
	{"rollback", cmd_rollback, "undo the upgrade leapp upgrade prepared, before the reboot"},
	{"snapshot", cmd_snapshot, "the LVM snapshots taken before the reboot: snapshot status | remove"},
	{"actor", cmd_actor, "list, describe or run single actors: actor list | describe NAME | run NAME"},
};

static void usage(FILE *f)
{
	fprintf(f, "usage: leapp COMMAND [OPTIONS]\n       leapp COMMAND --help\n       leapp --version\n\n"
		   "In-place upgrade of an RPM-based system to its next major release.\n\ncommands:\n");
	for (size_t i = 0; i < ELEMENTSOF(commands); i++)
		fprintf(f, "  %-12s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\nRun 'leapp COMMAND --help' for the options of a command; 'man leapp' (docs/leapp.1.md) has them all.\n"
		   "\nexit codes: 0 success (also \"reboot to continue\"), 1 error, 2 usage or bad input, 3 inhibited\n");
}

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < ELEMENTSOF(commands); i++)
		if (!strcmp(name, commands[i].name))
			return &commands[i];
	return NULL;
}

static int run_command(const struct command *cmd, int argc, char **argv, int full_argc, char **full_argv)
{
	struct leapp_ctx c = {.lock_fd = -1};
	struct buf line = {0};
	for (int k = 0; k < full_argc; k++)
		buf_printf(&line, "%s%s", k ? " " : "", full_argv[k]);
	c.cmdline = buf_steal(&line);
	int rc = cmd->fn(argc, argv, &c);
	ctx_clear(&c);
	return rc;
}

int main(int argc, char **argv)
{
	int rc;
	broker_alloc_init();
	output_global = output_new(false, false, false);
	if (argc < 2) {
		usage(stderr);
		rc = EXIT_USAGE;
	} else if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		rc = EXIT_OK;
	} else if (!strcmp(argv[1], "--version")) {
		printf("leapp %s (C engine)\n", LEAPP_VERSION);
		rc = EXIT_OK;
	} else if (!strcmp(argv[1], "help")) {
		/* leapp help [COMMAND] */
		const struct command *cmd = argc > 2 ? find_command(argv[2]) : NULL;
		if (argc > 2 && !cmd) {
			fprintf(stderr, "leapp: unknown command '%s' (see leapp --help)\n", argv[2]);
			rc = EXIT_USAGE;
		} else if (cmd) {
			char *hargv[] = {argv[2], "--help", NULL};
			rc = run_command(cmd, 2, hargv, argc, argv);
		} else {
			usage(stdout);
			rc = EXIT_OK;
		}
	} else {
		const struct command *cmd = find_command(argv[1]);
		if (cmd) {
			rc = run_command(cmd, argc - 1, argv + 1, argc, argv);
		} else {
			fprintf(stderr, "leapp: unknown %s '%s' (see leapp --help)\n", argv[1][0] == '-' ? "option" : "command",
				argv[1]);
			rc = EXIT_USAGE;
		}
	}
	output_free(output_global);
	broker_alloc_exit_note();
	return rc;
}

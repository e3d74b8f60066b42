/* leapp: the command-line front end and broker. One table of commands, one file per command. */
#include <getopt.h>

#include "cli.h"
#include "output.h"

struct command {
	const char *name;
	int (*fn)(int argc, char **argv, struct leapp_ctx *c);
	const char *summary;
};

static const struct command commands[] = {
	{"preupgrade", cmd_preupgrade, "check whether the system can be upgraded; write the report"},
	{"upgrade", cmd_upgrade, "upgrade the system (--resume continues after a reboot)"},
	{"answer", cmd_answer, "answer a question of the upgrade (--section SCOPE.KEY=VALUE)"},
	{"rerun", cmd_rerun, "run the upgrade workflow again from a phase (interim phases)"},
	{"list-runs", cmd_list_runs, "list the executions recorded in the audit store"},
	{"report", cmd_report, "write the report files of the last run again, from the store"},
	{"actor", cmd_actor, "list, describe or run single actors (actor list|describe|run)"},
};

static void usage(FILE *f)
{
	fprintf(f, "usage: leapp COMMAND [OPTIONS]\n\ncommands:\n");
	for (size_t i = 0; i < ELEMENTSOF(commands); i++)
		fprintf(f, "  %-12s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\nRun 'leapp COMMAND --help' for the options of a command.\n"
		   "\nexit codes: 0 success (also \"reboot to continue\"), 1 error, 2 usage, 3 inhibited\n");
}

int main(int argc, char **argv)
{
	output_global = output_new(false, false, false);
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		puts("leapp (C engine) 0.1");
		return EXIT_OK;
	}
	for (size_t i = 0; i < ELEMENTSOF(commands); i++) {
		if (strcmp(argv[1], commands[i].name))
			continue;
		struct leapp_ctx c = {.lock_fd = -1};
		struct buf cmd = {0};
		for (int k = 0; k < argc; k++)
			buf_printf(&cmd, "%s%s", k ? " " : "", argv[k]);
		c.cmdline = buf_steal(&cmd);
		c.argv0_dir = NULL;
		int rc = commands[i].fn(argc - 1, argv + 1, &c);
		ctx_clear(&c);
		output_free(output_global);
		return rc;
	}
	fprintf(stderr, "leapp: unknown command '%s'\n\n", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}

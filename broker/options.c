/* Option parsing shared by the commands: leapp's options and ours, getopt_long based. */
#include <getopt.h>
#include <limits.h>

#include "cli.h"

enum {
	O_ROOT = 1000, O_JOBS, O_JSON, O_VERBOSE, O_DEBUG, O_FORCE, O_TARGET, O_ENABLEREPO, O_WHITELIST, O_FEATURE,
	O_SCHEMA, O_NOGPG, O_RESUME, O_REBOOT, O_NOSANDBOX, O_HELP,
};

static const struct {
	struct option o;
	unsigned bit;
	const char *arg, *help;
} table[] = {
	{{"root", required_argument, NULL, O_ROOT}, OPT_ROOT, "DIR", "upgrade the system under DIR instead of / (default /)"},
	{{"jobs", required_argument, NULL, O_JOBS}, OPT_JOBS, "N", "run up to N independent actors at once (default 1)"},
	{{"json-progress", no_argument, NULL, O_JSON}, OPT_JSON, NULL,
	 "one JSON event per line on stdout (human output goes to stderr)"},
	{{"verbose", no_argument, NULL, O_VERBOSE}, OPT_VERBOSE, NULL, "show the actors' log lines (info and above)"},
	{{"debug", no_argument, NULL, O_DEBUG}, OPT_VERBOSE, NULL, "show every log line, debug included"},
	{{"force", no_argument, NULL, O_FORCE}, OPT_FORCE, NULL, "with --resume: run a failed actor again and go on"},
	{{"target", required_argument, NULL, O_TARGET}, OPT_TARGET, "VERSION",
	 "the target release (e.g. 9.6); default: upgrade_paths.json's default"},
	{{"enablerepo", required_argument, NULL, O_ENABLEREPO}, OPT_ENABLEREPO, "REPOID",
	 "enable a repository for the upgrade (repeatable)"},
	{{"whitelist-experimental", required_argument, NULL, O_WHITELIST}, OPT_EXPERIMENTAL, "ACTOR",
	 "run this experimental actor (repeatable)"},
	{{"enable-experimental-feature", required_argument, NULL, O_FEATURE}, OPT_EXPERIMENTAL, "FEATURE",
	 "enable an experimental feature, e.g. livemode (repeatable)"},
	{{"report-schema", required_argument, NULL, O_SCHEMA}, OPT_REPORT_SCHEMA, "VERSION",
	 "report format: 1.0.0, 1.1.0 or 1.2.0 (default 1.2.0)"},
	{{"nogpgcheck", no_argument, NULL, O_NOGPG}, OPT_NOGPGCHECK, NULL, "do not check package signatures"},
	{{"resume", no_argument, NULL, O_RESUME}, OPT_RESUME, NULL, "continue the upgrade after a reboot"},
	{{"reboot", no_argument, NULL, O_REBOOT}, OPT_RESUME, NULL, "reboot by itself when a reboot is needed"},
	{{"no-sandbox", no_argument, NULL, O_NOSANDBOX}, OPT_NO_SANDBOX, NULL,
	 "debugging only: run actors without the sandbox (recorded and reported)"},
	{{"help", no_argument, NULL, O_HELP}, ~0u, NULL, "show this help"},
};

void print_option_help(FILE *f, unsigned allowed)
{
	for (size_t i = 0; i < ELEMENTSOF(table); i++) {
		if (!(table[i].bit & allowed))
			continue;
		char left[64];
		snprintf(left, sizeof(left), "--%s%s%s", table[i].o.name, table[i].arg ? " " : "", table[i].arg ? table[i].arg : "");
		fprintf(f, "  %-36s %s\n", left, table[i].help);
	}
}

static void push(char ***v, size_t *n, const char *s)
{
	*v = xrealloc(*v, (*n + 1) * sizeof(char *));
	(*v)[(*n)++] = xstrdup(s);
}

int parse_options(int argc, char **argv, unsigned allowed, struct leapp_ctx *c, const char *usage, int *ret_optind)
{
	struct option longopts[ELEMENTSOF(table) + 1];
	size_t n = 0;
	for (size_t i = 0; i < ELEMENTSOF(table); i++)
		if (table[i].bit & allowed)
			longopts[n++] = table[i].o;
	memset(&longopts[n], 0, sizeof(longopts[n]));
	struct options *o = &c->opt;
	optind = 1;
	opterr = 0;
	for (;;) {
		int li = 0;
		int ch = getopt_long(argc, argv, "+h", longopts, &li);
		if (ch == -1)
			break;
		switch (ch) {
		case O_ROOT: free(o->root); o->root = xstrdup(optarg); break;
		case O_JOBS: {
			char *end;
			long v = strtol(optarg, &end, 10);
			if (*end || v < 1 || v > 256) {
				fprintf(stderr, "leapp %s: --jobs needs a number from 1 to 256, not '%s'\n", argv[0], optarg);
				return EXIT_USAGE;
			}
			o->jobs = (int)v;
			break;
		}
		case O_JSON: o->json_progress = true; break;
		case O_VERBOSE: o->verbose = true; break;
		case O_DEBUG: o->debug = o->verbose = true; break;
		case O_FORCE: o->force = true; break;
		case O_TARGET: free(o->target); o->target = xstrdup(optarg); break;
		case O_ENABLEREPO: push(&o->enablerepo, &o->n_enablerepo, optarg); break;
		case O_WHITELIST: push(&o->whitelist, &o->n_whitelist, optarg); break;
		case O_FEATURE: push(&o->features, &o->n_features, optarg); break;
		case O_SCHEMA:
			if (strcmp(optarg, "1.0.0") && strcmp(optarg, "1.1.0") && strcmp(optarg, "1.2.0")) {
				fprintf(stderr, "leapp %s: --report-schema must be 1.0.0, 1.1.0 or 1.2.0, not '%s'\n", argv[0], optarg);
				return EXIT_USAGE;
			}
			free(o->report_schema);
			o->report_schema = xstrdup(optarg);
			break;
		case O_NOGPG: o->nogpgcheck = true; break;
		case O_RESUME: o->resume = true; break;
		case O_REBOOT: o->reboot = true; break;
		case O_NOSANDBOX: o->no_sandbox = true; break;
		case 'h':
		case O_HELP:
			fputs(usage, stdout);
			print_option_help(stdout, allowed);
			return 1;
		case ':':
			fprintf(stderr, "leapp %s: option '%s' needs a value\n", argv[0], argv[optind - 1]);
			return EXIT_USAGE;
		default:
			fprintf(stderr, "leapp %s: unknown option '%s'\n(run 'leapp %s --help' for the options)\n", argv[0],
				argv[optind - 1], argv[0]);
			return EXIT_USAGE;
		}
	}
	if (o->force && !o->resume && (allowed & OPT_RESUME)) {
		fprintf(stderr, "leapp %s: --force only makes sense with --resume\n", argv[0]);
		return EXIT_USAGE;
	}
	*ret_optind = optind;
	return 0;
}

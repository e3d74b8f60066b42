/* Option parsing shared by the commands: one table of leapp's options and ours, getopt_long based. */
#include <ctype.h>
#include <getopt.h>
#include <limits.h>

#include "cli.h"
#include "output.h"

enum {
	O_ROOT = 1000, O_JOBS, O_JSON_PROGRESS, O_VERBOSE, O_DEBUG, O_FORCE, O_TARGET, O_TARGET_VERSION, O_ENABLEREPO,
	O_WHITELIST, O_FEATURE, O_SCHEMA, O_NOGPG, O_RESUME, O_REBOOT, O_NOSANDBOX, O_SECTION, O_ADD, O_FROM_PHASE,
	O_INPUT, O_FROM_LAST_RUN, O_SAVE_OUTPUT, O_JSON, O_HELP, O_TARGET_OS, O_CHANNEL, O_ISO, O_NO_RHSM,
	O_NO_RHSM_FACTS, O_NO_INSIGHTS, O_KEEP_CACHE, O_SNAPSHOT,
};

/* One row per option; --help prints the rows of the bits a command accepts, in this order. */
static const struct {
	struct option o;
	unsigned bit;
	const char *arg, *help;
} table[] = {
	{{"root", required_argument, NULL, O_ROOT}, OPT_ROOT, "DIR",
	 "work on the system under DIR instead of / (every path and fact comes from DIR)"},
	{{"jobs", required_argument, NULL, O_JOBS}, OPT_JOBS, "N", "run up to N independent actors at once (1-256, default 1)"},
	{{"json-progress", no_argument, NULL, O_JSON_PROGRESS}, OPT_JSON_PROGRESS, NULL,
	 "one JSON event per line on stdout; the human output goes to stderr"},
	{{"verbose", no_argument, NULL, O_VERBOSE}, OPT_VERBOSE, NULL, "also show the actors' log lines (info and above)"},
	{{"debug", no_argument, NULL, O_DEBUG}, OPT_VERBOSE, NULL, "also show every log line, debug included"},
	{{"resume", no_argument, NULL, O_RESUME}, OPT_RESUME, NULL,
	 "continue the last upgrade where it stopped (after the reboot)"},
	{{"force", no_argument, NULL, O_FORCE}, OPT_FORCE, NULL,
	 "with --resume: run the actor that failed again and go on"},
	{{"reboot", no_argument, NULL, O_REBOOT}, OPT_REBOOT, NULL, "reboot by itself when the upgrade needs a reboot"},
	{{"target", required_argument, NULL, O_TARGET}, OPT_TARGET, "VERSION",
	 "the target release, e.g. 9.6 (default: the default of upgrade_paths.json)"},
	{{"target-version", required_argument, NULL, O_TARGET_VERSION}, OPT_TARGET, "VERSION", "the same as --target"},
	{{"target-os", required_argument, NULL, O_TARGET_OS}, OPT_IGNORED, "OS",
	 "accepted for leapp's sake and ignored: the target is the source's distribution"},
	{{"channel", required_argument, NULL, O_CHANNEL}, OPT_IGNORED, "ga|e4s|eus|aus",
	 "accepted for leapp's sake and ignored: RHEL's update channels"},
	{{"iso", required_argument, NULL, O_ISO}, OPT_IGNORED, "FILE",
	 "accepted for leapp's sake and ignored: use --enablerepo with the image's repositories"},
	{{"no-rhsm", no_argument, NULL, O_NO_RHSM}, OPT_IGNORED, NULL,
	 "accepted for leapp's sake and ignored: there is no subscription-manager here"},
	{{"no-rhsm-facts", no_argument, NULL, O_NO_RHSM_FACTS}, OPT_IGNORED, NULL,
	 "accepted for leapp's sake and ignored: there is no subscription-manager here"},
	{{"no-insights-register", no_argument, NULL, O_NO_INSIGHTS}, OPT_IGNORED, NULL,
	 "accepted for leapp's sake and ignored: nothing registers with Insights here"},
	{{"enablerepo", required_argument, NULL, O_ENABLEREPO}, OPT_ENABLEREPO, "REPOID",
	 "also use this repository for the upgrade (repeatable)"},
	{{"whitelist-experimental", required_argument, NULL, O_WHITELIST}, OPT_EXPERIMENTAL, "ACTOR[,ACTOR]",
	 "run these experimental actors too (repeatable)"},
	{{"enable-experimental-feature", required_argument, NULL, O_FEATURE}, OPT_EXPERIMENTAL, "FEATURE",
	 "enable an experimental feature: livemode (repeatable)"},
	{{"report-schema", required_argument, NULL, O_SCHEMA}, OPT_REPORT_SCHEMA, "VERSION",
	 "format of leapp-report.json: 1.0.0, 1.1.0 or 1.2.0 (default 1.2.0)"},
	{{"nogpgcheck", no_argument, NULL, O_NOGPG}, OPT_NOGPGCHECK, NULL,
	 "do not check package signatures (as dnf --nogpgcheck)"},
	{{"snapshot", no_argument, NULL, O_SNAPSHOT}, OPT_SNAPSHOT, NULL,
	 "take LVM snapshots of the system volumes before the reboot (inhibits when not possible)"},
	{{"no-sandbox", no_argument, NULL, O_NOSANDBOX}, OPT_NO_SANDBOX, NULL,
	 "debugging only: run actors without the sandbox (recorded in the report)"},
	{{"section", required_argument, NULL, O_SECTION}, OPT_SECTION, "SCOPE.KEY=VALUE",
	 "the answer to a question (repeatable; several may be joined with commas)"},
	{{"add", no_argument, NULL, O_ADD}, OPT_SECTION, NULL,
	 "record an answer to a question the last run did not ask"},
	{{"from-phase", required_argument, NULL, O_FROM_PHASE}, OPT_FROM_PHASE, "PHASE",
	 "the phase to run again from (InitRamStart or later)"},
	{{"input", required_argument, NULL, O_INPUT}, OPT_ACTOR_INPUT, "FILE.json",
	 "the messages to give the actor: {\"messages\": [{\"model\": M, \"data\": {...}}]}"},
	{{"from-last-run", no_argument, NULL, O_FROM_LAST_RUN}, OPT_ACTOR_INPUT, NULL,
	 "give the actor the messages of the last preupgrade or upgrade"},
	{{"save-output", no_argument, NULL, O_SAVE_OUTPUT}, OPT_ACTOR_INPUT, NULL,
	 "keep the run and what it produced in the audit store (see leapp list-runs)"},
	{{"json", no_argument, NULL, O_JSON}, OPT_JSON, NULL, "print JSON instead of a table"},
	{{"keep-cache", no_argument, NULL, O_KEEP_CACHE}, OPT_KEEP_CACHE, NULL,
	 "keep the downloaded packages in /var/lib/leapp/packages"},
	{{"help", no_argument, NULL, O_HELP}, ~0u, NULL, "show this help and exit"},
};

void cli_args_clear(struct cli_args *a)
{
	for (size_t i = 0; i < a->n_sections; i++)
		free(a->sections[i]);
	free(a->sections);
	free(a->from_phase);
	free(a->input);
	memset(a, 0, sizeof(*a));
}

void print_command_help(FILE *f, const struct cli_cmd *cmd)
{
	fputs(cmd->usage, f);
	fprintf(f, "\noptions:\n");
	for (size_t i = 0; i < ELEMENTSOF(table); i++) {
		if (!(table[i].bit & cmd->options))
			continue;
		char left[64];
		snprintf(left, sizeof(left), "--%s%s%s", table[i].o.name, table[i].arg ? " " : "",
			 table[i].arg ? table[i].arg : "");
		if (strlen(left) > 30)
			fprintf(f, "  %s\n  %-30s %s\n", left, "", table[i].help);
		else
			fprintf(f, "  %-30s %s\n", left, table[i].help);
	}
	if (!strstr(cmd->usage, "exit codes:"))
		fprintf(f, "\nexit codes: 0 success, 1 error, 2 usage or bad input\n");
}

int no_more_arguments(const struct cli_cmd *cmd, int argc, char **argv, int optind_)
{
	if (optind_ >= argc)
		return 0;
	fprintf(stderr, "leapp %s: unexpected argument '%s' (see leapp %s --help)\n", cmd->name, argv[optind_], cmd->name);
	return EXIT_USAGE;
}

int parse_options_no_args(int argc, char **argv, const struct cli_cmd *cmd, struct leapp_ctx *c)
{
	struct cli_args a = {0};
	int oi, r = parse_options(argc, argv, cmd, c, &a, &oi);
	if (!r)
		r = no_more_arguments(cmd, argc, argv, oi);
	cli_args_clear(&a);
	return r;
}

static void push(char ***v, size_t *n, const char *s)
{
	*v = xrealloc(*v, (*n + 1) * sizeof(char *));
	(*v)[(*n)++] = xstrdup(s);
}

/* Remember an option that means nothing here, with its value, for the run's log. */
static void push_ignored(struct options *o, int ch, const char *arg)
{
	for (size_t i = 0; i < ELEMENTSOF(table); i++)
		if (table[i].o.val == ch) {
			_cleanup_free_ char *s = arg ? xasprintf("--%s %s", table[i].o.name, arg)
						     : xasprintf("--%s", table[i].o.name);
			push(&o->ignored, &o->n_ignored, s);
			return;
		}
}

/* Push every comma-separated item of s (leapp's options take "a,b" as well as repeats). */
static void push_split(char ***v, size_t *n, const char *s)
{
	_cleanup_free_ char *copy = xstrdup(s);
	char *save = NULL;
	for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		t = str_strip(t);
		if (*t)
			push(v, n, t);
	}
}

static bool is_name(const char *s, size_t n)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_' && s[i] != '-')
			return false;
	return true;
}

/* Does s start a new "SCOPE.KEY=" item (when --section values are joined with commas)? */
static bool starts_section(const char *s)
{
	const char *eq = strchr(s, '='), *dot = strchr(s, '.');
	return eq && dot && dot < eq && is_name(s, (size_t)(dot - s)) && is_name(dot + 1, (size_t)(eq - dot - 1));
}

/*
 * leapp answer --section a.b=1,c.d=2 gives two answers, but a multiple choice answer is a
 * comma-separated list too: a comma starts a new answer only when SCOPE.KEY= follows it.
 */
static int add_sections(struct cli_args *a, const char *cmdname, const char *value)
{
	const char *p = value;
	while (*p) {
		const char *end = p;
		for (;;) {
			end = strchr(end, ',');
			if (!end || starts_section(end + 1))
				break;
			end++;
		}
		size_t len = end ? (size_t)(end - p) : strlen(p);
		_cleanup_free_ char *item = xstrndup(p, len);
		if (!starts_section(item)) {
			fprintf(stderr,
				"leapp %s: malformed section '%s': expected SCOPE.KEY=VALUE (SCOPE and KEY made of letters, "
				"digits, '_' and '-'), e.g. --section remove_pam_pkcs11_module_check.confirm=True\n",
				cmdname, item);
			return EXIT_USAGE;
		}
		if (!strchr(item, '=')[1]) {
			fprintf(stderr, "leapp %s: malformed section '%s': the answer (after '=') is empty\n", cmdname, item);
			return EXIT_USAGE;
		}
		for (const char *q = item; *q; q++)
			if (iscntrl((unsigned char)*q)) {
				/* the answer file is INI: a newline would start a line of its own */
				fprintf(stderr, "leapp %s: malformed section '%.*s...': the answer has a control character\n",
					cmdname, (int)(q - item), item);
				return EXIT_USAGE;
			}
		push(&a->sections, &a->n_sections, item);
		p = end ? end + 1 : p + len;
	}
	if (p == value) {
		fprintf(stderr, "leapp %s: --section needs SCOPE.KEY=VALUE\n", cmdname);
		return EXIT_USAGE;
	}
	return 0;
}

static bool valid_target(const char *s)
{
	/* MAJOR.MINOR, as leapp's --target */
	const char *dot = strchr(s, '.');
	if (!dot || dot == s || !dot[1])
		return false;
	for (const char *p = s; *p; p++)
		if (p != dot && !isdigit((unsigned char)*p))
			return false;
	return true;
}

static bool env_on(const char *name)
{
	const char *v = getenv(name);
	return v && !strcmp(v, "1");
}

static void set_str(char **dst, const char *v)
{
	free(*dst);
	*dst = xstrdup(v);
}

/* --jobs N: 1..256. 0, or EXIT_USAGE (said) */
static int parse_jobs(const char *name, const char *arg, int *ret)
{
	char *end;
	errno = 0;
	long v = strtol(arg, &end, 10);
	if (errno || end == arg || *end || v < 1 || v > 256) {
		fprintf(stderr, "leapp %s: --jobs needs a number from 1 to 256, not '%s'\n", name, arg);
		return EXIT_USAGE;
	}
	*ret = (int)v;
	return 0;
}

/* The options whose value is checked: --target, --report-schema, --channel. 0, or EXIT_USAGE (said). */
static int check_value(int ch, const char *name, const char *arg)
{
	switch (ch) {
	case O_TARGET:
	case O_TARGET_VERSION:
		if (!valid_target(arg)) {
			fprintf(stderr, "leapp %s: --target needs a release as MAJOR.MINOR, e.g. 9.6, not '%s'\n", name, arg);
			return EXIT_USAGE;
		}
		return 0;
	case O_SCHEMA:
		if (strcmp(arg, "1.0.0") && strcmp(arg, "1.1.0") && strcmp(arg, "1.2.0")) {
			fprintf(stderr, "leapp %s: --report-schema must be 1.0.0, 1.1.0 or 1.2.0, not '%s'\n", name, arg);
			return EXIT_USAGE;
		}
		return 0;
	case O_CHANNEL:
		if (strcasecmp(arg, "ga") && strcasecmp(arg, "e4s") && strcasecmp(arg, "eus") && strcasecmp(arg, "aus")) {
			fprintf(stderr, "leapp %s: --channel must be ga, e4s, eus or aus, not '%s'\n", name, arg);
			return EXIT_USAGE;
		}
		return 0;
	default:
		return 0;
	}
}

/* One option getopt recognised, into c->opt or *a. 0; 1 after --help (printed); EXIT_USAGE on a
 * bad value (said); -ENOENT when ch is none of the table's (the caller says what is wrong). */
static int apply_option(int ch, const char *arg, const struct cli_cmd *cmd, struct options *o, struct cli_args *a)
{
	int r = check_value(ch, cmd->name, arg);
	if (r)
		return r;
	switch (ch) {
	case O_ROOT: set_str(&o->root, arg); break;
	case O_JOBS: return parse_jobs(cmd->name, arg, &o->jobs);
	case O_JSON_PROGRESS: o->json_progress = true; break;
	case O_VERBOSE: o->verbose = true; break;
	case O_DEBUG: o->debug = o->verbose = true; break;
	case O_FORCE: o->force = true; break;
	case O_TARGET:
	case O_TARGET_VERSION: set_str(&o->target, arg); break;
	case O_ENABLEREPO: push_split(&o->enablerepo, &o->n_enablerepo, arg); break;
	case O_WHITELIST: push_split(&o->whitelist, &o->n_whitelist, arg); break;
	case O_FEATURE: push_split(&o->features, &o->n_features, arg); break;
	case O_SCHEMA: set_str(&o->report_schema, arg); break;
	case O_NOGPG: o->nogpgcheck = true; break;
	case O_SNAPSHOT: o->snapshot = true; break;
	case O_CHANNEL:
	case O_TARGET_OS:
	case O_ISO: push_ignored(o, ch, arg); break;
	case O_NO_RHSM:
	case O_NO_RHSM_FACTS:
	case O_NO_INSIGHTS: push_ignored(o, ch, NULL); break;
	case O_RESUME: o->resume = true; break;
	case O_REBOOT: o->reboot = true; break;
	case O_NOSANDBOX: o->no_sandbox = true; break;
	case O_SECTION: return add_sections(a, cmd->name, arg);
	case O_ADD: a->add = true; break;
	case O_FROM_PHASE: set_str(&a->from_phase, arg); break;
	case O_INPUT: set_str(&a->input, arg); break;
	case O_FROM_LAST_RUN: a->from_last_run = true; break;
	case O_SAVE_OUTPUT: a->save_output = true; break;
	case O_JSON: a->json = true; break;
	case O_KEEP_CACHE: a->keep_cache = true; break;
	case 'h':
	case O_HELP: print_command_help(stdout, cmd); return 1;
	default: return -ENOENT;
	}
	return 0;
}

/* What getopt did not take (ch ':' or '?'), said in words; returns EXIT_USAGE. A flag given a value
 * (--resume=yes) is not an unknown option: that is said instead. */
static int report_bad_option(int ch, char **argv, const struct option *longopts, size_t n, const char *name)
{
	const char *bad = argv[optind - 1];
	if (ch == ':') {
		fprintf(stderr, "leapp %s: option '%s' needs a value (see leapp %s --help)\n", name, bad, name);
		return EXIT_USAGE;
	}
	const char *eq = str_startswith(bad, "--") ? strchr(bad, '=') : NULL;
	if (eq)
		for (size_t i = 0; i < n; i++)
			if (longopts[i].has_arg == no_argument && strlen(longopts[i].name) == (size_t)(eq - bad - 2) &&
			    !strncmp(longopts[i].name, bad + 2, (size_t)(eq - bad - 2))) {
				fprintf(stderr, "leapp %s: option '--%s' takes no value\n", name, longopts[i].name);
				return EXIT_USAGE;
			}
	if (optopt && optopt < 256 && !str_startswith(bad, "--"))
		fprintf(stderr, "leapp %s: unknown option '-%c' (see leapp %s --help)\n", name, optopt, name);
	else
		fprintf(stderr, "leapp %s: unknown option '%s' (see leapp %s --help)\n", name, bad, name);
	return EXIT_USAGE;
}

/* Options that exclude or need each other. 0, or EXIT_USAGE (said). */
static int check_combinations(const struct cli_cmd *cmd, const struct options *o, const struct cli_args *a)
{
	if (o->force && !o->resume && (cmd->options & OPT_RESUME)) {
		fprintf(stderr, "leapp %s: --force only makes sense with --resume\n", cmd->name);
		return EXIT_USAGE;
	}
	if (a->input && a->from_last_run) {
		fprintf(stderr, "leapp %s: --input and --from-last-run exclude each other\n", cmd->name);
		return EXIT_USAGE;
	}
	return 0;
}

int parse_options(int argc, char **argv, const struct cli_cmd *cmd, struct leapp_ctx *c, struct cli_args *a,
		  int *ret_optind)
{
	struct option longopts[ELEMENTSOF(table) + 1];
	size_t n = 0;
	for (size_t i = 0; i < ELEMENTSOF(table); i++)
		if (table[i].bit & cmd->options)
			longopts[n++] = table[i].o;
	memset(&longopts[n], 0, sizeof(longopts[n]));
	struct options *o = &c->opt;
	/* leapp reads these from the environment too */
	if (env_on("LEAPP_DEBUG") && (cmd->options & OPT_VERBOSE))
		o->debug = o->verbose = true;
	if (env_on("LEAPP_VERBOSE") && (cmd->options & OPT_VERBOSE))
		o->verbose = true;
	optind = 0; /* 0, not 1: a full reset of getopt's state (we parse several argv per process in tests) */
	opterr = 0;
	for (;;) {
		int ch = getopt_long(argc, argv, ":h", longopts, NULL);
		if (ch == -1)
			break;
		int r = apply_option(ch, optarg, cmd, o, a);
		if (r == -ENOENT)
			return report_bad_option(ch, argv, longopts, n, cmd->name);
		if (r)
			return r;
	}
	int r = check_combinations(cmd, o, a);
	if (r)
		return r;
	*ret_optind = optind;
	return 0;
}

void cli_setup_output(struct leapp_ctx *c, bool human_to_stderr)
{
	output_free(output_global);
	c->out = output_global = output_new(c->opt.json_progress, c->opt.verbose, c->opt.debug);
	if (human_to_stderr)
		output_human_to_stderr(c->out);
}

int cli_init(struct leapp_ctx *c)
{
	int r = ctx_init(c, "leapp");
	if (r == -ENOTDIR)
		return EXIT_USAGE;
	return r < 0 ? EXIT_ERROR : 0;
}

int check_actor_options(struct leapp_ctx *c, const char *cmdname)
{
	for (size_t i = 0; i < c->opt.n_whitelist; i++) {
		struct manifest *m = actor_set_find(&c->actors, c->opt.whitelist[i]);
		if (!m) {
			output_diag(c->out, "error", "%s: --whitelist-experimental: no such actor '%s' (see leapp actor list)",
				    cmdname, c->opt.whitelist[i]);
			return EXIT_USAGE;
		}
		if (!m->experimental)
			output_diag(c->out, "warning", "--whitelist-experimental: actor %s is not experimental; it runs anyway",
				    m->name);
	}
	for (size_t i = 0; i < c->opt.n_features; i++) {
		const char *f = c->opt.features[i];
		bool known = !strcmp(f, "livemode");
		struct buf names = {0};
		buf_printf(&names, "livemode");
		for (size_t k = 0; k < c->actors.n; k++) {
			const char *af = c->actors.v[k]->feature;
			if (!af)
				continue;
			known |= !strcmp(af, f);
			if (strcmp(af, "livemode") && !strstr(names.data, af))
				buf_printf(&names, ", %s", af);
		}
		if (!known) {
			output_diag(c->out, "error", "%s: --enable-experimental-feature: unknown feature '%s' (known: %s)", cmdname,
				    f, names.data);
			buf_free(&names);
			return EXIT_USAGE;
		}
		buf_free(&names);
	}
	return 0;
}

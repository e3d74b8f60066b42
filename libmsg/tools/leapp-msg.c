/* leapp-msg: lets a shell-script actor talk to the broker (or run standalone) like a C actor. */
#include <fcntl.h>
#include <sys/stat.h>

#include "../src/actor-internal.h"
#include "leapp/actor.h"

/*
 * A shell actor starts with   eval "$(leapp-msg init "$@")"
 * which reads the hello frame and all input messages into a session directory and exports
 * LEAPP_MSG_DIR. Every later command reads the session from there:
 *
 *   leapp-msg get root|phase|actor|execution|scratch   print a hello field
 *   leapp-msg config [KEY]             the actor configuration (JSON; strings raw)
 *   leapp-msg workflow [KEY]           the workflow configuration
 *   leapp-msg messages MODEL           JSON array of the consumed messages' data
 *   leapp-msg produce MODEL JSON|-     produce a message
 *   leapp-msg report --title T --summary S [--severity SEV] [--group G]... [--key K]
 *                    [--hint H] [--command ARG... --]
 *   leapp-msg log LEVEL MESSAGE
 *   leapp-msg error MESSAGE [DETAILS]  report an error and exit 1 (call as: leapp-msg error ...; exit 1)
 *   leapp-msg stop-after-phase [REASON]
 *   leapp-msg done                     finish (standalone: print the JSON output)
 */

static _noreturn_ void usage(void)
{
	fputs("usage: eval \"$(leapp-msg init [ARGS])\"; leapp-msg get|config|workflow|messages|produce|report|log|error|"
	      "stop-after-phase|done ...\n",
	      stderr);
	exit(2);
}

static char *session_file(const char *name)
{
	const char *dir = getenv("LEAPP_MSG_DIR");
	if (!dir) {
		fputs("leapp-msg: LEAPP_MSG_DIR is not set; run eval \"$(leapp-msg init)\" first\n", stderr);
		exit(2);
	}
	return path_join(dir, name);
}

static json_t *load(const char *name)
{
	_cleanup_free_ char *p = session_file(name);
	json_error_t e;
	json_t *j = json_load_file(p, 0, &e);
	if (!j && strcmp(name, "output.json")) {
		fprintf(stderr, "leapp-msg: %s: %s\n", p, e.text);
		exit(1);
	}
	return j;
}

static void save(const char *name, json_t *j)
{
	_cleanup_free_ char *p = session_file(name);
	if (json_dump_file(j, p, JSON_COMPACT) < 0) {
		fprintf(stderr, "leapp-msg: cannot write %s\n", p);
		exit(1);
	}
}

static void attach(void)
{
	json_t *hello = load("hello.json");
	json_t *out = load("output.json");
	actor_attach(hello, out);
	json_decref(hello);
	json_decref(out);
}

static void save_output(void)
{
	if (actor_standalone_output())
		save("output.json", actor_standalone_output());
}

static void print_value(json_t *v)
{
	if (json_is_string(v))
		puts(json_string_value(v));
	else if (v) {
		char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		puts(s);
		free(s);
	}
}

static int cmd_init(int argc, char **argv)
{
	actor_init(argc, argv);
	char tmpl[] = "/tmp/leapp-msg.XXXXXX";
	if (!mkdtemp(tmpl)) {
		perror("leapp-msg: mkdtemp");
		return 1;
	}
	setenv("LEAPP_MSG_DIR", tmpl, 1);
	save("hello.json", actor_hello());
	json_t *in = actor_take_all_input();
	save("input.json", in);
	json_decref(in);
	save_output();
	/* the directory name is from mkdtemp: safe to print unquoted */
	printf("LEAPP_MSG_DIR=%s; export LEAPP_MSG_DIR\n", tmpl);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		usage();
	const char *cmd = argv[1];
	if (!strcmp(cmd, "init"))
		return cmd_init(argc - 1, argv + 1);
	attach();
	int rc = 0;
	if (!strcmp(cmd, "get") && argc == 3) {
		print_value(json_object_get(actor_hello(), argv[2]));
	} else if ((!strcmp(cmd, "config") || !strcmp(cmd, "workflow")) && argc <= 3) {
		json_t *c = !strcmp(cmd, "config") ? actor_config() : actor_workflow_config();
		print_value(argc == 3 ? json_object_get(c, argv[2]) : c);
	} else if (!strcmp(cmd, "messages") && argc == 3) {
		json_t *in = load("input.json"), *out = json_array();
		size_t i;
		json_t *m;
		json_array_foreach(in, i, m)
			if (!strcmp(json_string_value(json_object_get(m, "model")), argv[2]))
				json_array_append(out, json_object_get(m, "data"));
		print_value(out);
		json_decref(out);
		json_decref(in);
	} else if (!strcmp(cmd, "produce") && argc == 4) {
		json_error_t e;
		json_t *d = strcmp(argv[3], "-") ? json_loads(argv[3], 0, &e) : json_loadf(stdin, 0, &e);
		if (!d) {
			fprintf(stderr, "leapp-msg: produce %s: invalid JSON at %d:%d: %s\n", argv[2], e.line, e.column, e.text);
			return 1;
		}
		rc = actor_produce(argv[2], d) < 0;
	} else if (!strcmp(cmd, "report")) {
		json_t *e = report_new(NULL, NULL, "info");
		for (int i = 2; i < argc; i++) {
			const char *a = argv[i];
			if (!strcmp(a, "--command")) {
				int s = ++i;
				while (i < argc && strcmp(argv[i], "--"))
					i++;
				const char **v = xcalloc((size_t)(i - s + 1), sizeof(char *));
				for (int k = s; k < i; k++)
					v[k - s] = argv[k];
				report_add_command(e, v);
				free(v);
				continue;
			}
			if (i + 1 >= argc)
				usage();
			const char *v = argv[++i];
			if (!strcmp(a, "--title"))
				json_object_set_new(e, "title", json_string(v));
			else if (!strcmp(a, "--summary"))
				json_object_set_new(e, "summary", json_string(v));
			else if (!strcmp(a, "--severity"))
				json_object_set_new(e, "severity", json_string(v));
			else if (!strcmp(a, "--group"))
				report_add_group(e, v);
			else if (!strcmp(a, "--key"))
				report_set_key(e, v);
			else if (!strcmp(a, "--hint"))
				report_add_hint(e, v);
			else
				usage();
		}
		rc = actor_report(e) < 0;
	} else if (!strcmp(cmd, "log") && argc == 4) {
		const char *lv = argv[2];
		enum log_level l = !strcmp(lv, "debug") ? LOG_LEVEL_DEBUG : !strcmp(lv, "warning") ? LOG_LEVEL_WARNING :
				   !strcmp(lv, "error") ? LOG_LEVEL_ERROR : LOG_LEVEL_INFO;
		actor_log(l, "%s", argv[3]);
	} else if (!strcmp(cmd, "error") && (argc == 3 || argc == 4)) {
		save_output();
		if (argc == 4)
			actor_error(argv[2], "%s", argv[3]);
		actor_error(argv[2], NULL);
	} else if (!strcmp(cmd, "stop-after-phase")) {
		actor_stop_after_phase(argc > 2 ? argv[2] : NULL);
	} else if (!strcmp(cmd, "done") && argc == 2) {
		rc = actor_finish();
		_cleanup_free_ char *dir = session_file("");
		rm_rf(dir);
		return rc;
	} else {
		usage();
	}
	actor_flush();
	save_output();
	return rc;
}

/* leapp list-runs: the executions recorded in the audit store. */
#include <time.h>

#include "cli.h"
#include "output.h"

static const char usage[] = "usage: leapp list-runs [--root DIR] [--json-progress]\n\n"
			    "List the leapp executions recorded in /var/lib/leapp/leapp.db, oldest first.\n"
			    "With --json-progress the list is one JSON array on stdout.\n\noptions:\n";

static void fmt_time(double t, char out[32])
{
	if (t <= 0) {
		snprintf(out, 32, "-");
		return;
	}
	time_t s = (time_t)t;
	struct tm tm;
	localtime_r(&s, &tm);
	strftime(out, 32, "%Y-%m-%d %H:%M:%S", &tm);
}

int cmd_list_runs(int argc, char **argv, struct leapp_ctx *c)
{
	int oi, r = parse_options(argc, argv, OPT_ROOT | OPT_JSON, c, usage, &oi);
	if (r)
		return r == 1 ? EXIT_OK : r;
	if (oi < argc) {
		fprintf(stderr, "leapp list-runs: unexpected argument '%s'\n", argv[oi]);
		return EXIT_USAGE;
	}
	if (ctx_init(c, "leapp") < 0)
		return EXIT_USAGE;
	if (ctx_open_store(c, false) < 0)
		return EXIT_ERROR;
	json_t *list = store_executions_list(c->store);
	if (c->opt.json_progress) {
		char *s = json_dumps(list, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		puts(s);
		free(s);
	} else {
		printf("%-36s  %-11s %-10s %-19s  %-19s  %s\n", "RUN", "KIND", "STATUS", "STARTED", "FINISHED", "COMMAND");
		size_t i;
		json_t *e;
		json_array_foreach(list, i, e) {
			char st[32], fi[32];
			fmt_time(json_real_value(json_object_get(e, "started")), st);
			fmt_time(json_real_value(json_object_get(e, "finished")), fi);
			printf("%-36s  %-11s %-10s %-19s  %-19s  %s\n", json_string_value(json_object_get(e, "uuid")),
			       json_string_value(json_object_get(e, "kind")), json_string_value(json_object_get(e, "status")), st,
			       fi, json_string_value(json_object_get(e, "cmdline")) ?: "");
		}
	}
	json_decref(list);
	return EXIT_OK;
}

/* leapp report: write the report files of the last run (or a given one) again from the store. */
#include "cli.h"
#include "output.h"

static const struct cli_cmd cmd = {
	"report",
	"usage: leapp report [RUN-ID] [--report-schema VERSION] [--root DIR]\n\n"
	"Write /var/log/leapp/leapp-report.txt and leapp-report.json again from the audit store, for\n"
	"the last preupgrade or upgrade, or for RUN-ID (see leapp list-runs). The report schema is the\n"
	"one the run used unless --report-schema is given. Report files that would change are moved\n"
	"to /var/log/leapp/archive/ first.\n\n"
	"exit codes: 0 written, 1 error (e.g. no run recorded), 2 usage (e.g. unknown RUN-ID)\n",
	OPT_ROOT | OPT_REPORT_SCHEMA,
};

int cmd_report(int argc, char **argv, struct leapp_ctx *c)
{
	struct cli_args a = {0};
	int oi, r = parse_options(argc, argv, &cmd, c, &a, &oi);
	const char *run_id = !r && oi < argc ? argv[oi++] : NULL;
	if (!r)
		r = no_more_arguments(&cmd, argc, argv, oi);
	cli_args_clear(&a);
	if (r)
		return r == 1 ? EXIT_OK : r;
	cli_setup_output(c, false);
	if ((r = cli_init(c)))
		return r;
	if (ctx_open_store(c, false) < 0)
		return EXIT_ERROR;
	struct execution ex;
	if (run_id) {
		if (store_execution_get(c->store, run_id, &ex) < 0) {
			log_error("report: no run '%s' in %s (see leapp list-runs)", run_id, store_path(c->store));
			return EXIT_USAGE;
		}
	} else if (last_workflow_execution(c->store, &ex) < 0) {
		log_error("report: no preupgrade or upgrade run is recorded in %s", store_path(c->store));
		return EXIT_ERROR;
	}
	if (!c->opt.report_schema) {
		const char *used = json_string_value(json_object_get(ex.config, "report_schema"));
		if (used && (!strcmp(used, "1.0.0") || !strcmp(used, "1.1.0") || !strcmp(used, "1.2.0")))
			c->opt.report_schema = xstrdup(used);
	}
	if ((r = mkdir_p(c->logdir, 0755)) < 0) {
		log_error("cannot create %s: %s", c->logdir, strerror(-r));
		execution_clear(&ex);
		return EXIT_ERROR;
	}
	r = render_report(c, &ex, NULL);
	if (r == 0)
		printf("Report of run %s (%s, schema %s) written to %s/leapp-report.txt and leapp-report.json\n", ex.uuid,
		       ex.kind ? ex.kind : "?", c->opt.report_schema ? c->opt.report_schema : "1.2.0", c->logdir);
	execution_clear(&ex);
	return r < 0 ? EXIT_ERROR : EXIT_OK;
}

/* leapp report: write the report files of the last run (or a given one) again from the store. */
#include "cli.h"
#include "output.h"

static const char usage[] =
	"usage: leapp report [--root DIR] [--report-schema VERSION] [RUN-ID]\n\n"
	"Render /var/log/leapp/leapp-report.{json,txt} again from the audit store, for the last\n"
	"preupgrade or upgrade run, or for RUN-ID (see leapp list-runs).\n\noptions:\n";

int cmd_report(int argc, char **argv, struct leapp_ctx *c)
{
	int oi, r = parse_options(argc, argv, OPT_ROOT | OPT_REPORT_SCHEMA, c, usage, &oi);
	if (r)
		return r == 1 ? EXIT_OK : r;
	if (argc - oi > 1) {
		fprintf(stderr, "leapp report: unexpected argument '%s'\n", argv[oi + 1]);
		return EXIT_USAGE;
	}
	c->out = output_global;
	if (ctx_init(c, "leapp") < 0)
		return EXIT_USAGE;
	if (ctx_open_store(c, false) < 0)
		return EXIT_ERROR;
	struct execution ex;
	if (oi < argc) {
		if (store_execution_get(c->store, argv[oi], &ex) < 0) {
			fprintf(stderr, "leapp report: no run '%s' in %s (see leapp list-runs)\n", argv[oi], store_path(c->store));
			return EXIT_USAGE;
		}
	} else {
		struct execution up, pre;
		int ru = store_execution_last(c->store, "upgrade", &up), rp = store_execution_last(c->store, "preupgrade", &pre);
		if (ru < 0 && rp < 0) {
			fprintf(stderr, "leapp report: no preupgrade or upgrade run is recorded in %s\n", store_path(c->store));
			return EXIT_ERROR;
		}
		if (ru == 0 && (rp < 0 || up.id > pre.id)) {
			ex = up;
			if (rp == 0)
				execution_clear(&pre);
		} else {
			ex = pre;
			if (ru == 0)
				execution_clear(&up);
		}
	}
	if (mkdir_p(c->logdir, 0755) < 0) {
		log_error("cannot create %s: %s", c->logdir, strerror(errno));
		execution_clear(&ex);
		return EXIT_ERROR;
	}
	r = render_report(c, &ex, false, NULL);
	if (r == 0)
		printf("Report of run %s written to %s/leapp-report.txt and leapp-report.json\n", ex.uuid, c->logdir);
	execution_clear(&ex);
	return r < 0 ? EXIT_ERROR : EXIT_OK;
}

/* What preupgrade and upgrade share: set-up, the run, the report files and the overview. */
#include "cli.h"
#include "output.h"
#include "report.h"
#include "spawn.h"

static void overview_line(FILE *f, const char *title)
{
	fprintf(f, "\n============================================================\n");
	size_t pad = strlen(title) < 60 ? (60 - strlen(title)) / 2 : 0;
	fprintf(f, "%*s%s\n", (int)pad, "", title);
	fprintf(f, "============================================================\n\n");
}

int render_report(struct leapp_ctx *c, const struct execution *ex, bool print_overview, const struct engine_result *res)
{
	json_t *entries = store_reports(c->store, ex->id);
	char *err = NULL;
	int r = report_write(c->logdir, ex->uuid, entries, c->opt.report_schema, &err);
	if (r < 0) {
		log_error("%s", err);
		free(err);
		json_decref(entries);
		return r;
	}
	_cleanup_free_ char *txt = path_join(c->logdir, "leapp-report.txt");
	_cleanup_free_ char *js = path_join(c->logdir, "leapp-report.json");
	size_t i;
	json_t *e;
	json_array_foreach(entries, i, e)
		output_event(c->out, "report", json_pack("{s:O}", "entry", e));
	if (print_overview) {
		FILE *f = output_human(c->out);
		json_t *sorted = report_sorted(entries);
		int n_err = 0, n_inh = 0, n_sev[4] = {0};
		static const char *const sev[] = {"high", "medium", "low", "info"};
		json_array_foreach(sorted, i, e) {
			if (report_entry_has_group(e, "error"))
				n_err++;
			else if (report_entry_has_group(e, "inhibitor"))
				n_inh++;
			const char *s = json_string_value(json_object_get(e, "severity"));
			for (int k = 0; k < 4; k++)
				if (s && !strcmp(s, sev[k]))
					n_sev[k]++;
		}
		if (n_err) {
			overview_line(f, "ERRORS");
			int k = 0;
			json_array_foreach(sorted, i, e)
				if (report_entry_has_group(e, "error"))
					fprintf(f, "    %d. %s\n", ++k, json_string_value(json_object_get(e, "title")));
		}
		if (n_inh) {
			overview_line(f, "UPGRADE INHIBITED");
			fprintf(f, "Upgrade has been inhibited due to the following problems:\n");
			int k = 0;
			json_array_foreach(sorted, i, e)
				if (!report_entry_has_group(e, "error") && report_entry_has_group(e, "inhibitor"))
					fprintf(f, "    %d. %s\n", ++k, json_string_value(json_object_get(e, "title")));
			fprintf(f, "Consult the pre-upgrade report for details and possible remediation.\n");
		}
		overview_line(f, "REPORT OVERVIEW");
		int k = 0;
		json_array_foreach(sorted, i, e) {
			const char *s = json_string_value(json_object_get(e, "severity"));
			if (report_entry_has_group(e, "error") || report_entry_has_group(e, "inhibitor"))
				continue;
			if (s && (!strcmp(s, "high") || !strcmp(s, "medium"))) {
				if (k == 0)
					fprintf(f, "HIGH and MEDIUM severity reports:\n");
				fprintf(f, "    %d. %s\n", ++k, json_string_value(json_object_get(e, "title")));
			}
		}
		fprintf(f, "%sReports summary:\n", k ? "\n" : "");
		fprintf(f, "    Errors:                  %4d\n    Inhibitors:              %4d\n", n_err, n_inh);
		fprintf(f, "    HIGH severity reports:   %4d\n    MEDIUM severity reports: %4d\n", n_sev[0], n_sev[1]);
		fprintf(f, "    LOW severity reports:    %4d\n    INFO severity reports:   %4d\n", n_sev[2], n_sev[3]);
		fprintf(f, "\nBefore continuing, review the full report below for details about discovered problems and "
			   "possible remediation instructions:\n");
		fprintf(f, "    A report has been generated at %s\n    A report has been generated at %s\n", txt, js);
		overview_line(f, "END OF REPORT OVERVIEW");
		_cleanup_free_ char *af = path_join(c->logdir, "answerfile");
		if (access(af, F_OK) == 0)
			fprintf(f, "Answerfile has been generated at %s\n", af);
		/* the next step, in one line a script can grep */
		if (res) {
			if (n_err)
				fprintf(f, "Next step: fix the errors listed above, then run leapp again.\n");
			else if (res->inhibited) {
				bool answers = false;
				json_array_foreach(sorted, i, e)
					answers |= report_entry_has_group(e, "dialog");
				fprintf(f, "Next step: %s, then run leapp again.\n",
					answers ? "answer the questions with the leapp answer commands in the report and fix the "
						  "inhibitors"
						: "fix the inhibitors listed above");
			} else if (res->reboot_requested)
				fprintf(f, "Next step: reboot the system to continue with the upgrade. This might take a while "
					   "depending on the system configuration.\n");
			else if (res->reboot_now)
				fprintf(f, "Next step: the system reboots into the upgraded system.\n");
			else if (!strcmp(ex->kind, "preupgrade"))
				fprintf(f, "Next step: no inhibitors; review the report, then run leapp upgrade.\n");
		}
		fflush(f);
		json_decref(sorted);
	}
	json_decref(entries);
	return 0;
}

int workflow_command(struct leapp_ctx *c, enum run_kind kind)
{
	int r;
	output_free(output_global);
	c->out = output_global = output_new(c->opt.json_progress, c->opt.verbose, c->opt.debug);
	if ((r = ctx_init(c, "leapp")) < 0)
		return r == -ENOTDIR ? EXIT_USAGE : EXIT_ERROR;
	if (ctx_load(c) < 0)
		return EXIT_ERROR;
	if (ctx_open_store(c, true) < 0)
		return EXIT_ERROR;
	const char *logname = kind == RUN_PREUPGRADE ? "leapp-preupgrade.log" : "leapp-upgrade.log";
	/* a fresh run archives the previous report and log; a resume continues the log */
	if (!c->opt.resume)
		report_archive_previous(c->logdir, logname);
	_cleanup_free_ char *logpath = path_join(c->logdir, logname);
	if (output_open_log(c->out, logpath) < 0)
		log_warning("cannot open the log file %s: %s", logpath, strerror(errno));
	output_diag(c->out, "debug", "command: %s", c->cmdline);
	if (c->opt.no_sandbox)
		log_warning("--no-sandbox: actors run without isolation; this is recorded in the report");
	struct engine_result res;
	r = engine_run(c, kind, &res);
	int rc = res.exit_code;
	if (r < 0 && rc == EXIT_OK)
		rc = EXIT_ERROR;
	if (res.exec.id > 0 && r >= 0)
		render_report(c, &res.exec, true, &res);
	if (res.reboot_requested || res.reboot_now) {
		output_line(c->out, "A reboot is required to continue. Please reboot your system.");
		if (c->opt.reboot && res.reboot_requested && !strcmp(c->root, "/")) {
			char *argv[] = {"systemctl", "reboot", NULL};
			int st;
			extern char **environ;
			spawn_bare("/usr/bin/systemctl", argv, environ, &st);
		}
	}
	output_event(c->out, "done", json_pack("{s:i, s:b, s:b, s:b, s:s, s:s}", "exit_code", rc, "inhibited", res.inhibited,
					       "errors", res.errors, "reboot_required",
					       res.reboot_requested || res.reboot_now, "report_json",
					       c->logdir ? c->logdir : "", "execution", res.exec.uuid));
	engine_result_clear(&res);
	return rc;
}

/* What the workflow commands share: set-up, the run, the report files, the overview, the reboot. */
#include <sys/wait.h>

#include "brokerfs.h"
#include "cli.h"
#include "output.h"
#include "report.h"
#include "sandbox.h"
#include "spawn.h"

#define REBOOT_STATE_FILE "reboot-required"

int last_workflow_execution(struct store *s, struct execution *ret)
{
	struct execution up, pre;
	int ru = store_execution_last(s, "upgrade", &up), rp = store_execution_last(s, "preupgrade", &pre);
	if (ru < 0 && rp < 0)
		return -ENOENT;
	if (ru == 0 && (rp < 0 || up.id > pre.id)) {
		*ret = up;
		if (rp == 0)
			execution_clear(&pre);
	} else {
		*ret = pre;
		if (ru == 0)
			execution_clear(&up);
	}
	return 0;
}

static void banner(FILE *f, const char *title)
{
	fprintf(f, "\n============================================================\n");
	size_t pad = strlen(title) < 60 ? (60 - strlen(title)) / 2 : 0;
	fprintf(f, "%*s%s\n", (int)pad, "", title);
	fprintf(f, "============================================================\n\n");
}

static const char *title_of(json_t *e)
{
	return json_string_value(json_object_get(e, "title")) ?: "(no title)";
}

/* The console overview after a run: errors, inhibitors, counts, where the files are, what next. */
static void print_overview(struct leapp_ctx *c, const struct execution *ex, json_t *sorted,
			   const struct engine_result *res)
{
	FILE *f = output_human(c->out);
	size_t i;
	json_t *e;
	int n_err = 0, n_inh = 0, n_sev[4] = {0};
	bool dialogs = false;
	static const char *const sev[] = {"high", "medium", "low", "info"};
	json_array_foreach(sorted, i, e) {
		if (report_entry_has_group(e, "error"))
			n_err++;
		else if (report_entry_has_group(e, "inhibitor"))
			n_inh++;
		dialogs |= report_entry_has_group(e, "dialog") && report_entry_has_group(e, "inhibitor");
		const char *s = json_string_value(json_object_get(e, "severity"));
		for (int k = 0; k < 4; k++)
			if (s && !strcmp(s, sev[k]))
				n_sev[k]++;
	}
	if (n_err) {
		banner(f, "ERRORS");
		int k = 0;
		json_array_foreach(sorted, i, e)
			if (report_entry_has_group(e, "error"))
				fprintf(f, "    %d. %s\n", ++k, title_of(e));
		fprintf(f, "\n");
	}
	if (n_inh) {
		banner(f, "UPGRADE INHIBITED");
		fprintf(f, "Upgrade has been inhibited due to the following problems:\n");
		int k = 0;
		json_array_foreach(sorted, i, e)
			if (!report_entry_has_group(e, "error") && report_entry_has_group(e, "inhibitor"))
				fprintf(f, "    %d. %s\n", ++k, title_of(e));
		fprintf(f, "Consult the pre-upgrade report for details and possible remediation.\n");
	}
	banner(f, "REPORT OVERVIEW");
	int k = 0;
	json_array_foreach(sorted, i, e) {
		const char *s = json_string_value(json_object_get(e, "severity"));
		if (report_entry_has_group(e, "error") || report_entry_has_group(e, "inhibitor"))
			continue;
		if (s && (!strcmp(s, "high") || !strcmp(s, "medium"))) {
			if (k == 0)
				fprintf(f, "HIGH and MEDIUM severity reports:\n");
			fprintf(f, "    %d. %s\n", ++k, title_of(e));
		}
	}
	fprintf(f, "%sReports summary:\n", k ? "\n" : "");
	fprintf(f, "    Errors:                  %4d\n    Inhibitors:              %4d\n", n_err, n_inh);
	fprintf(f, "    HIGH severity reports:   %4d\n    MEDIUM severity reports: %4d\n", n_sev[0], n_sev[1]);
	fprintf(f, "    LOW severity reports:    %4d\n    INFO severity reports:   %4d\n", n_sev[2], n_sev[3]);
	_cleanup_free_ char *txt = path_join(c->logdir, "leapp-report.txt");
	_cleanup_free_ char *js = path_join(c->logdir, "leapp-report.json");
	_cleanup_free_ char *log = path_join(c->logdir, !strcmp(ex->kind, "preupgrade") ? "leapp-preupgrade.log"
										: "leapp-upgrade.log");
	fprintf(f, "\nBefore continuing, review the full report below for details about discovered problems and "
		   "possible remediation instructions:\n");
	fprintf(f, "    A report has been generated at %s\n    A report has been generated at %s\n", txt, js);
	fprintf(f, "    Debug output written to %s\n", log);
	banner(f, "END OF REPORT OVERVIEW");
	_cleanup_free_ char *af = path_join(c->logdir, "answerfile");
	if (access(af, F_OK) == 0)
		fprintf(f, "Answerfile has been generated at %s\n", af);
	/* the next step, on one line that starts with "Next step:" so that a script can grep it */
	if (n_err)
		fprintf(f, "Next step: fix the errors listed above (see the report), then run leapp %s again.\n", ex->kind);
	else if (res->inhibited)
		fprintf(f, "Next step: %s, then run leapp %s again.\n",
			dialogs ? "answer the questions with the leapp answer commands given in the report, and fix the other "
				  "inhibitors"
				: "fix the inhibitors listed above (see the report)",
			ex->kind);
	else if (res->reboot_requested)
		fprintf(f, "Next step: %s the system to continue with the upgrade. This might take a while depending on the "
			   "system configuration.\n",
			c->opt.reboot ? "leapp reboots" : "reboot");
	else if (res->reboot_now)
		fprintf(f, "Next step: the system reboots into the upgraded system.\n");
	else if (res->exit_code == EXIT_OK && !strcmp(ex->kind, "preupgrade"))
		fprintf(f, "Next step: nothing inhibits the upgrade; review the report, then run leapp upgrade.\n");
	else if (res->exit_code == EXIT_OK)
		fprintf(f, "Next step: none; the upgrade has finished.\n");
	else
		fprintf(f, "Next step: see the messages above and the log, then run leapp %s again.\n", ex->kind);
	fflush(f);
}

int render_report(struct leapp_ctx *c, const struct execution *ex, const struct engine_result *res)
{
	json_t *entries = NULL;
	int r = store_reports(c->store, ex->id, &entries);
	if (r < 0) {
		log_error("cannot read the report entries: %s", store_errmsg(c->store));
		return r;
	}
	char *err = NULL;
	/* leapp report (no res) may render another run than the one on disk: keep what it replaces */
	r = report_write(c->logdir, ex->uuid, entries, c->opt.report_schema, !res, &err);
	if (r < 0) {
		log_error("%s", err);
		free(err);
		json_decref(entries);
		return r;
	}
	json_t *sorted = report_sorted(entries);
	size_t i;
	json_t *e;
	json_array_foreach(sorted, i, e)
		output_event(c->out, "report", json_pack("{s:O}", "entry", e));
	if (res)
		print_overview(c, ex, sorted, res);
	json_decref(sorted);
	json_decref(entries);
	return 0;
}

int workflow_load(struct leapp_ctx *c, const char *cmdname)
{
	int r;
	cli_setup_output(c, false);
	/* before anything reads the system: a run that cannot sandbox its actors says so first */
	char *err = NULL;
	if (!c->opt.no_sandbox && sandbox_check_host(&err) < 0) {
		output_diag(c->out, "error", "%s", err);
		free(err);
		return EXIT_ERROR;
	}
	if ((r = cli_init(c)))
		return r;
	if (ctx_load(c) < 0)
		return EXIT_ERROR;
	return check_actor_options(c, cmdname);
}

int workflow_open(struct leapp_ctx *c, enum run_kind kind, bool archive)
{
	if (!c->store && ctx_open_store(c, true) < 0)
		return EXIT_ERROR;
	const char *logname = kind == RUN_PREUPGRADE ? "leapp-preupgrade.log" : "leapp-upgrade.log";
	/* a fresh run archives the previous report and log; a resume continues the log */
	if (archive) {
		char *err = NULL;
		if (report_archive_previous(c->logdir, logname, &err) < 0) {
			log_error("%s", err);
			free(err);
			return EXIT_ERROR;
		}
	}
	_cleanup_free_ char *logpath = path_join(c->logdir, logname);
	char *note = NULL;
	int r = brokerfs_open_log(c->logdir, logname, &note);
	if (r >= 0)
		r = output_open_log(c->out, r);
	if (r < 0)
		log_warning("cannot open the log file %s: %s", logpath, strerror(-r));
	if (note)
		log_warning("%s", note);
	free(note);
	output_diag(c->out, "debug", "command: %s", c->cmdline ? c->cmdline : "leapp");
	for (size_t i = 0; i < c->opt.n_ignored; i++)
		output_diag(c->out, "info", "ignored: %s (an option of leapp on RHEL; it changes nothing here)",
			    c->opt.ignored[i]);
	if (c->opt.no_sandbox)
		log_warning("--no-sandbox: actors run without isolation; this is recorded in the report");
	return 0;
}

static const char *done_status(int rc, const struct engine_result *res)
{
	switch (rc) {
	case EXIT_OK: return res && (res->reboot_requested || res->reboot_now) ? "reboot" : "ok";
	case EXIT_INHIBITED: return "inhibited";
	case EXIT_USAGE: return "usage";
	default: return "error";
	}
}

static void emit_done(struct leapp_ctx *c, int rc, const struct engine_result *res, bool rebooting)
{
	if (!output_json(c->out))
		return;
	json_t *d = json_pack("{s:i, s:s}", "exit_code", rc, "status", done_status(rc, res));
	bool have_exec = res && res->exec.id > 0;
	json_object_set_new(d, "execution", have_exec ? json_string(res->exec.uuid) : json_null());
	json_object_set_new(d, "kind", have_exec && res->exec.kind ? json_string(res->exec.kind) : json_null());
	json_object_set_new(d, "inhibited", json_boolean(res && res->inhibited));
	json_object_set_new(d, "errors", json_boolean(res && res->errors));
	json_object_set_new(d, "reboot_required", json_boolean(res && (res->reboot_requested || res->reboot_now)));
	json_object_set_new(d, "rebooting", json_boolean(rebooting));
	json_object_set_new(d, "stopped_after", res && res->stopped_after ? json_string(res->stopped_after) : json_null());
	if (have_exec && c->logdir) {
		_cleanup_free_ char *js = path_join(c->logdir, "leapp-report.json");
		_cleanup_free_ char *txt = path_join(c->logdir, "leapp-report.txt");
		_cleanup_free_ char *log = path_join(c->logdir, res->exec.kind && !strcmp(res->exec.kind, "preupgrade")
									? "leapp-preupgrade.log"
									: "leapp-upgrade.log");
		json_object_set_new(d, "report_json", json_string(js));
		json_object_set_new(d, "report_txt", json_string(txt));
		json_object_set_new(d, "log", json_string(log));
	}
	output_event(c->out, "done", d);
}

int workflow_fail(struct leapp_ctx *c, int exit_code)
{
	emit_done(c, exit_code, NULL, false);
	return exit_code;
}

/*
 * The state file of a pending reboot, /var/lib/leapp/reboot-required: present from the
 * moment an upgrade asks for a reboot until an upgrade runs again (--resume after the
 * reboot). Fleet tools test for it; its content says which run and phase asked.
 */
static void reboot_state_write(struct leapp_ctx *c, const struct engine_result *res)
{
	_cleanup_free_ char *p = path_join(c->statedir, REBOOT_STATE_FILE);
	char ts[32];
	format_timestamp(now_realtime(), ts);
	json_t *j = json_pack("{s:s, s:s?, s:s, s:s}", "execution", res->exec.uuid, "phase", res->stopped_after, "reason",
			      res->reboot_now ? "the machine reboots into the upgraded system"
					      : "reboot to continue the upgrade in the upgrade initramfs",
			      "requested", ts);
	size_t n;
	char *s = report_json_text(j, &n);
	json_decref(j);
	int r = write_file_atomic(p, s, n, 0644);
	free(s);
	if (r < 0)
		log_warning("cannot write %s: %s", p, strerror(-r));
}

static void reboot_state_clear(struct leapp_ctx *c)
{
	_cleanup_free_ char *p = path_join(c->statedir, REBOOT_STATE_FILE);
	if (unlink(p) < 0 && errno != ENOENT)
		log_warning("cannot remove %s: %s", p, strerror(errno));
}

/*
 * --reboot. Never reboots the machine that runs leapp for a --root other than /. For tests,
 * LEAPP_DEVEL_REBOOT_COMMAND names an executable run (without arguments) instead of
 * systemctl reboot. Returns 0 when the reboot was started, EXIT_ERROR when it failed.
 */
static int reboot_now(struct leapp_ctx *c, bool *ret_rebooting)
{
	const char *devel = getenv("LEAPP_DEVEL_REBOOT_COMMAND");
	if (devel && !*devel)
		devel = NULL;
	if (!devel && strcmp(c->root, "/")) {
		log_warning("--reboot: not rebooting this machine: the upgraded system is --root %s; reboot it yourself",
			    c->root);
		return 0;
	}
	char *argv_sys[] = {"systemctl", "reboot", NULL};
	char *argv_devel[] = {(char *)devel, NULL};
	const char *path = devel ? devel : "/usr/bin/systemctl";
	extern char **environ;
	output_line(c->out, "Rebooting the system as --reboot asks: %s%s", path, devel ? "" : " reboot");
	fflush(stdout);
	int st = 0;
	int r = spawn_bare(path, devel ? argv_devel : argv_sys, environ, &st);
	if (r < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		if (r < 0)
			log_error("--reboot: cannot run %s: %s; reboot the system yourself", path, strerror(-r));
		else if (WIFEXITED(st) && WEXITSTATUS(st) == 127)
			log_error("--reboot: cannot run %s; reboot the system yourself", path);
		else if (WIFEXITED(st))
			log_error("--reboot: %s failed with exit code %d; reboot the system yourself", path, WEXITSTATUS(st));
		else
			log_error("--reboot: %s was killed by signal %d; reboot the system yourself", path, WTERMSIG(st));
		return EXIT_ERROR;
	}
	*ret_rebooting = true;
	return 0;
}

static void strv_from_json(char ***v, size_t *n, json_t *a)
{
	size_t i;
	json_t *x;
	json_array_foreach(a, i, x)
		if (json_is_string(x)) {
			*v = xrealloc(*v, (*n + 1) * sizeof(char *));
			(*v)[(*n)++] = xstrdup(json_string_value(x));
		}
}

/*
 * --resume (and rerun) continue a run that was started with options and LEAPP_* variables
 * the initramfs or the first boot does not repeat: take them from the run's record unless
 * given again (leapp restores its environment from the run the same way).
 */
static void restore_run_options(struct leapp_ctx *c)
{
	struct execution ex;
	if (store_execution_last(c->store, "upgrade", &ex) < 0)
		return;
	json_t *cfg = ex.config;
	struct options *o = &c->opt;
	const char *target = json_string_value(json_object_get(cfg, "target"));
	if (!o->target && target)
		o->target = xstrdup(target);
	const char *schema = json_string_value(json_object_get(cfg, "report_schema"));
	if (!o->report_schema && schema)
		o->report_schema = xstrdup(schema);
	if (json_is_true(json_object_get(cfg, "nogpgcheck")))
		o->nogpgcheck = true;
	if (json_is_true(json_object_get(cfg, "snapshot")))
		o->snapshot = true;
	if (json_is_true(json_object_get(cfg, "debug")) && !o->debug) {
		o->debug = o->verbose = true;
		output_set_verbosity(c->out, true, true);
	}
	if (!o->n_enablerepo)
		strv_from_json(&o->enablerepo, &o->n_enablerepo, json_object_get(cfg, "enablerepo"));
	if (!o->n_features)
		strv_from_json(&o->features, &o->n_features, json_object_get(cfg, "experimental_features"));
	if (!o->n_whitelist)
		strv_from_json(&o->whitelist, &o->n_whitelist, json_object_get(cfg, "whitelist_experimental"));
	const char *k;
	json_t *v;
	json_object_foreach(json_object_get(cfg, "env"), k, v)
		if (json_is_string(v) && !getenv(k) && str_startswith(k, "LEAPP_"))
			setenv(k, json_string_value(v), 0);
	output_diag(c->out, "debug", "resuming run %s with the options it was started with (target %s)", ex.uuid,
		    o->target ? o->target : "default");
	execution_clear(&ex);
}

int workflow_run(struct leapp_ctx *c, enum run_kind kind)
{
	struct engine_result res;
	if (c->opt.resume)
		restore_run_options(c);
	int r = engine_run(c, kind, &res);
	int rc = res.exit_code;
	if (r < 0 && rc == EXIT_OK)
		rc = EXIT_ERROR;
	if (res.exec.id > 0 && r >= 0 && render_report(c, &res.exec, &res) < 0 && rc != EXIT_INHIBITED)
		rc = EXIT_ERROR;
	bool rebooting = false;
	if (r >= 0 && (res.reboot_requested || res.reboot_now)) {
		reboot_state_write(c, &res);
		output_line(c->out, "A reboot is required to continue. Please reboot your system.");
		if (c->opt.reboot && res.reboot_requested) {
			int rr = reboot_now(c, &rebooting);
			if (rr)
				rc = rr;
		}
	} else if (r >= 0 && kind == RUN_UPGRADE) {
		/* the upgrade ran past its reboot (or started over): nothing is pending any more */
		reboot_state_clear(c);
	}
	output_diag(c->out, "debug", "exit code %d", rc);
	emit_done(c, rc, &res, rebooting);
	engine_result_clear(&res);
	return rc;
}

int workflow_command(struct leapp_ctx *c, enum run_kind kind, const char *cmdname)
{
	int r = workflow_load(c, cmdname);
	if (!r)
		r = workflow_open(c, kind, !c->opt.resume);
	if (r)
		return workflow_fail(c, r);
	return workflow_run(c, kind);
}

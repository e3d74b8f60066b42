/* The workflow engine: phases in order, each a barrier, their policies, and the run of one actor alone. */
#include <signal.h>
#include <sys/resource.h>

#include "answerfile.h"
#include "broker.h"
#include "engine.h"
#include "output.h"
#include "report.h"
#include "spawn.h"

/* Stop starting actors and kill the running ones (an interrupt, a store error). */
void engine_stop(struct engine *e, const char *why)
{
	struct stage_run *sr = e->sr;
	if (!sr)
		return;
	sr->stop_starting = true;
	for (size_t i = 0; i < sr->n; i++)
		if (sr->procs[i].state == P_RUNNING)
			proc_kill(&sr->procs[i], why);
}

/*
 * A store error stops the workflow at once (DESIGN.md section 2): no actor starts any more, the
 * running ones are killed, and the store writes nothing more (it rolls back its open batch),
 * so what was committed before stays intact for --resume. Returns true when r is an error.
 */
bool engine_store_failed(struct engine *e, int r, const char *what)
{
	if (r >= 0)
		return false;
	if (!e->store_error) {
		e->store_error = xasprintf("%s: %s", what, store_errmsg(e->c->store));
		output_diag(e->c->out, "error",
			    "the audit store failed while %s; the workflow stops here (what was committed before is kept)",
			    e->store_error);
		engine_stop(e, "was stopped: the audit store failed");
	}
	return true;
}

static void on_interrupt(uv_signal_t *h, int signum)
{
	struct engine *e = h->data;
	if (!e->interrupted)
		output_diag(e->c->out, "warning", "interrupted by signal %d: stopping the actors", signum);
	e->interrupted = true;
	engine_stop(e, "was stopped: leapp was interrupted");
	if (e->sr)
		stage_schedule(e->sr);
}

static void on_check(uv_check_t *h)
{
	/* one write transaction per loop turn */
	struct engine *e = h->data;
	if (!e->store_error)
		(void)engine_store_failed(e, store_flush(e->c->store, false), "committing a batch");
}

char *engine_boot_id(void)
{
	_cleanup_free_ char *d = NULL;
	if (read_file("/proc/sys/kernel/random/boot_id", 128, &d, NULL) < 0)
		return NULL;
	return xstrdup(str_strip(d));
}

static void load_answers(struct engine *e)
{
	struct leapp_ctx *c = e->c;
	_cleanup_free_ char *af = path_join(c->logdir, "answerfile");
	_cleanup_free_ char *uc = path_join(c->logdir, "answerfile.userchoices");
	json_t *a = NULL, *b = NULL;
	char *err = NULL;
	if (answerfile_load(af, &a, &err) < 0) {
		output_diag(c->out, "warning", "%s (ignored)", err);
		free(err);
		err = NULL;
		a = json_object();
	}
	if (answerfile_load(uc, &b, &err) < 0) {
		output_diag(c->out, "warning", "%s (ignored)", err);
		free(err);
		b = json_object();
	}
	/* answers given with `leapp answer` win over edits of the generated answerfile */
	answers_merge(a, b);
	json_decref(b);
	e->answers = a;
}

static void dialog_inhibitors(struct engine *e)
{
	struct leapp_ctx *c = e->c;
	json_t *dialogs = NULL;
	if (engine_store_failed(e, store_dialogs(c->store, e->exec->id, &dialogs), "reading the dialogs"))
		return;
	json_t *missing = dialogs_unanswered(dialogs, e->answers);
	size_t i;
	json_t *m;
	json_array_foreach(missing, i, m) {
		const char *cmd = json_string_value(json_object_get(m, "command"));
		_cleanup_free_ char *summary = xasprintf(
			"The question '%s' (%s.%s) needs an answer before the upgrade can go on. Answer it with: %s",
			json_string_value(json_object_get(m, "label")), json_string_value(json_object_get(m, "scope")),
			json_string_value(json_object_get(m, "key")), cmd);
		json_t *entry = json_pack("{s:s, s:s, s:s, s:[s,s]}", "title", "Missing required answers in the answer file",
					  "summary", summary, "severity", "high", "groups", "inhibitor", "dialog");
		/* the exact command, split as the remediation schema wants it */
		json_t *argv = json_array();
		_cleanup_free_ char *copy = xstrdup(cmd);
		char *save = NULL;
		for (char *t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save))
			json_array_append_new(argv, json_string(t));
		json_object_set_new(entry, "detail",
				    json_pack("{s:[{s:s, s:o}]}", "remediations", "type", "command", "context", argv));
		/* no key: leapp's verify_dialogs sets none either, so it is sha1 of severity, audience and title */
		char err[128];
		report_entry_complete(entry, "leapp", e->hostname, e->exec->uuid, 0, (uint32_t)i, err, sizeof(err));
		int r = store_report_add(c->store, e->exec->id, 0, "broker", entry);
		json_decref(entry);
		e->inhibited = true;
		if (engine_store_failed(e, r, "storing a report entry"))
			break;
	}
	_cleanup_free_ char *af = path_join(c->logdir, "answerfile");
	if (json_array_size(dialogs))
		answerfile_write(af, dialogs, e->answers);
	json_decref(missing);
	json_decref(dialogs);
}

static int engine_setup(struct engine *e, struct leapp_ctx *c)
{
	e->c = c;
	uv_loop_init(&e->loop);
	uv_signal_init(&e->loop, &e->sigchld);
	uv_signal_init(&e->loop, &e->sigint);
	uv_signal_init(&e->loop, &e->sigterm);
	uv_check_init(&e->loop, &e->check);
	e->sigchld.data = e->sigint.data = e->sigterm.data = e->check.data = e;
	uv_signal_start(&e->sigchld, proc_sigchld_cb, SIGCHLD);
	uv_signal_start(&e->sigint, on_interrupt, SIGINT);
	uv_signal_start(&e->sigterm, on_interrupt, SIGTERM);
	uv_check_start(&e->check, on_check);
	signal(SIGPIPE, SIG_IGN);
	e->hostname = report_hostname(c->root);
	if (!strcmp(c->root, "/")) {
		/* an actor's own mount namespace shows the sandbox, so the host's view is taken now */
		_cleanup_free_ char *mi = NULL;
		if (read_file("/proc/self/mountinfo", 8u << 20, &mi, NULL) == 0)
			e->host_mountinfo = TAKE_PTR(mi);
	}
	return 0;
}

static void on_close_noop(uv_handle_t *h)
{
}

static void engine_teardown(struct engine *e)
{
	uv_close((uv_handle_t *)&e->sigchld, on_close_noop);
	uv_close((uv_handle_t *)&e->sigint, on_close_noop);
	uv_close((uv_handle_t *)&e->sigterm, on_close_noop);
	uv_close((uv_handle_t *)&e->check, on_close_noop);
	uv_run(&e->loop, UV_RUN_DEFAULT);
	uv_loop_close(&e->loop);
	json_decref(e->workflow_cfg);
	json_decref(e->answers);
	free(e->store_error);
	free(e->hostname);
	free(e->host_mountinfo);
}

void engine_result_clear(struct engine_result *r)
{
	free(r->stopped_after);
	execution_clear(&r->exec);
	memset(r, 0, sizeof(*r));
}

static json_t *execution_config(struct leapp_ctx *c)
{
	json_t *cfg = json_pack("{s:s, s:i, s:b, s:b, s:b, s:s?, s:b, s:s}", "root", c->root, "jobs", c->opt.jobs,
				"nogpgcheck", c->opt.nogpgcheck, "no_sandbox", c->opt.no_sandbox, "debug", c->opt.debug,
				"target", c->opt.target, "force", c->opt.force, "report_schema",
				c->opt.report_schema ? c->opt.report_schema : "1.2.0");
	if (c->opt.snapshot)
		json_object_set_new(cfg, "snapshot", json_true());
	json_t *env = json_object();
	extern char **environ;
	for (char **v = environ; *v; v++)
		if (str_startswith(*v, "LEAPP_")) {
			_cleanup_free_ char *k = xstrndup(*v, (size_t)(strchr(*v, '=') - *v));
			json_object_set_new(env, k, json_string(strchr(*v, '=') + 1));
		}
	json_object_set_new(cfg, "env", env);
	json_t *a = json_array();
	for (size_t i = 0; i < c->opt.n_features; i++)
		json_array_append_new(a, json_string(c->opt.features[i]));
	json_object_set_new(cfg, "experimental_features", a);
	a = json_array();
	for (size_t i = 0; i < c->opt.n_enablerepo; i++)
		json_array_append_new(a, json_string(c->opt.enablerepo[i]));
	json_object_set_new(cfg, "enablerepo", a);
	a = json_array();
	for (size_t i = 0; i < c->opt.n_whitelist; i++)
		json_array_append_new(a, json_string(c->opt.whitelist[i]));
	json_object_set_new(cfg, "whitelist_experimental", a);
#ifdef LEAPP_SANITIZER_BUILD
	json_object_set_new(cfg, "sanitizer_build", json_true());
	if (!c->opt.no_sandbox)
		json_object_set_new(cfg, "sandbox_relaxed", json_pack("[s,s]", SANDBOX_SANITIZER_RELAXES));
#endif
	return cfg;
}

/* Runs phases [from, to] of the workflow for the execution in *ex. */
/* Record the state of the execution; a store error stops the workflow. */
static void execution_set(struct engine *e, const char *status, const char *next_phase, const char *boot_id,
			  bool finished)
{
	int r = store_execution_update(e->c->store, e->exec->id, status, next_phase, boot_id, finished);
	(void)engine_store_failed(e, r, "recording the state of the run");
}

static int run_phases(struct engine *e, size_t from, bool resume, struct engine_result *res)
{
	struct leapp_ctx *c = e->c;
	for (size_t i = from; i < c->wf.n; i++) {
		const struct phase_def *ph = &c->wf.phases[i];
		if (e->inhibited && ph->skip_on_inhibitor) {
			output_diag(c->out, "debug", "phase %s skipped: the upgrade is inhibited", ph->name);
			output_event(c->out, "phase-finish", json_pack("{s:s, s:i, s:s, s:f}", "phase", ph->name, "index", ph->index,
								       "status", "skipped", "duration_ms", 0.0));
			continue;
		}
		if (ph->stop_preupgrade)
			dialog_inhibitors(e);
		if (e->store_error)
			return -EIO;
		double t0 = now_monotonic();
		output_phase_start(c->out, ph->name, ph->index);
		bool errors_before = e->errors;
		for (int st = STAGE_BEFORE; st <= STAGE_AFTER && !e->interrupted; st++) {
			run_stage(e, ph, (enum stage)st, resume);
			if (e->errors && ph->policy == POLICY_FAIL_IMMEDIATELY)
				break;
		}
		if (e->store_error)
			return -EIO;
		bool phase_failed = e->errors && !errors_before;
		output_phase_finish(c->out, ph->name, ph->index, phase_failed ? "failed" : "ok", now_monotonic() - t0);
		free(res->stopped_after);
		res->stopped_after = xstrdup(ph->name);
		/* the phase barrier: everything so far is durable */
		if (e->store_error || engine_store_failed(e, store_flush(c->store, true), "making the phase durable"))
			return -EIO;
		if (e->interrupted) {
			execution_set(e, "stopped", ph->name, NULL, false);
			res->exit_code = EXIT_ERROR;
			return e->store_error ? -EIO : 0;
		}
		if (phase_failed && ph->policy != POLICY_REPORT_ONLY) {
			execution_set(e, "failed", ph->name, NULL, false);
			res->exit_code = EXIT_ERROR;
			return e->store_error ? -EIO : 0;
		}
		if (ph->checkpoint && e->errors && ph->policy != POLICY_REPORT_ONLY) {
			execution_set(e, "failed", ph->name, NULL, false);
			res->exit_code = EXIT_ERROR;
			return e->store_error ? -EIO : 0;
		}
		if (ph->stop_preupgrade && e->kind == RUN_PREUPGRADE) {
			execution_set(e, e->inhibited ? "inhibited" : "finished", NULL, NULL, true);
			res->exit_code = e->inhibited ? EXIT_INHIBITED : e->errors ? EXIT_ERROR : EXIT_OK;
			return e->store_error ? -EIO : 0;
		}
		if (ph->inhibitor_barrier && e->inhibited) {
			execution_set(e, "inhibited", NULL, NULL, true);
			res->exit_code = EXIT_INHIBITED;
			return e->store_error ? -EIO : 0;
		}
		if (e->stop_after_phase) {
			execution_set(e, "stopped", i + 1 < c->wf.n ? c->wf.phases[i + 1].name : NULL,
					       NULL, false);
			res->exit_code = e->errors ? EXIT_ERROR : e->inhibited ? EXIT_INHIBITED : EXIT_OK;
			return e->store_error ? -EIO : 0;
		}
		if ((ph->request_restart_after || ph->restart_after) && i + 1 < c->wf.n) {
			_cleanup_free_ char *boot = engine_boot_id();
			execution_set(e, "reboot", c->wf.phases[i + 1].name, boot, false);
			res->reboot_requested = ph->request_restart_after;
			res->reboot_now = ph->restart_after;
			res->exit_code = EXIT_OK;
			if (e->store_error)
				return -EIO;
			output_event(c->out, "reboot-requested",
				     json_pack("{s:s, s:s}", "phase", ph->name, "reason",
					       ph->restart_after ? "the upgrade continues after a reboot into the upgraded system"
								 : "reboot to continue the upgrade in the upgrade initramfs"));
			return 0;
		}
	}
	execution_set(e, e->errors ? "failed" : "finished", NULL, NULL, true);
	res->exit_code = e->errors ? EXIT_ERROR : EXIT_OK;
	return e->store_error ? -EIO : 0;
}

static int sandbox_check(struct leapp_ctx *c)
{
	char *err = NULL;
	if (c->opt.no_sandbox || sandbox_check_host(&err) == 0)
		return 0;
	output_diag(c->out, "error", "%s", err);
	free(err);
	return -ENOTSUP;
}

int engine_run(struct leapp_ctx *c, enum run_kind kind, struct engine_result *res)
{
	struct engine e = {0};
	memset(res, 0, sizeof(*res));
	if (sandbox_check(c) < 0) {
		res->exit_code = EXIT_ERROR;
		return -ENOTSUP;
	}
	engine_setup(&e, c);
	e.kind = kind;
	load_answers(&e);
	size_t from = 0;
	int r;
	if (c->opt.resume) {
		r = store_execution_last(c->store, "upgrade", &res->exec);
		if (r < 0) {
			if (r == -ENOENT)
				output_diag(c->out, "error", "there is no upgrade to resume in %s", store_path(c->store));
			else
				output_diag(c->out, "error", "cannot read the last upgrade: %s", store_errmsg(c->store));
			res->exit_code = EXIT_ERROR;
			engine_teardown(&e);
			return r;
		}
		e.exec = &res->exec;
		if ((r = engine_resume_prepare(&e, &res->exec, &from)) < 0 || (r = engine_load_workflow_cfg(&e)) < 0) {
			res->exit_code = EXIT_ERROR;
			engine_teardown(&e);
			return r;
		}
	} else {
		json_t *cfg = execution_config(c);
		r = store_execution_new(c->store, kind == RUN_PREUPGRADE ? "preupgrade" : "upgrade", c->cmdline, cfg, &res->exec);
		json_decref(cfg);
		if (r == 0)
			r = store_flush(c->store, true);
		if (r < 0) {
			output_diag(c->out, "error", "cannot record the run: %s", store_errmsg(c->store));
			res->exit_code = EXIT_ERROR;
			engine_teardown(&e);
			return r;
		}
		e.exec = &res->exec;
	}
	output_event(c->out, "start", json_pack("{s:s, s:s, s:s, s:b}", "execution", res->exec.uuid, "kind", res->exec.kind,
						 "root", c->root, "resume", c->opt.resume));
	if (c->opt.no_sandbox) {
		json_t *w = json_pack("{s:s, s:s, s:s, s:[s]}", "title", "Actors ran without the sandbox (--no-sandbox)", "summary",
				      "This run was started with --no-sandbox, a debugging switch: actors were not isolated "
				      "and could have changed the system.",
				      "severity", "high", "groups", "sanity");
		char err[64];
		report_entry_complete(w, "leapp", e.hostname, res->exec.uuid, 0, 0, err, sizeof(err));
		(void)engine_store_failed(&e, store_report_add(c->store, res->exec.id, 0, "broker", w), "storing a report entry");
		json_decref(w);
	}
	r = e.store_error ? -EIO : run_phases(&e, from, c->opt.resume, res);
	res->inhibited = e.inhibited;
	res->errors = e.errors;
	if (r == 0 && engine_store_failed(&e, store_flush(c->store, true), "making the end of the run durable"))
		r = -EIO;
	if (r < 0)
		res->exit_code = EXIT_ERROR;
	/* the broker's own footprint, for the log and for benchmarks */
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	double cpu_user = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6;
	double cpu_sys = (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
	output_diag(c->out, "debug", "broker: peak RSS %ld KiB, CPU %.3f s user + %.3f s system", ru.ru_maxrss, cpu_user, cpu_sys);
	output_event(c->out, "stats", json_pack("{s:I, s:f, s:f}", "broker_peak_rss_kb", (json_int_t)ru.ru_maxrss,
						 "broker_cpu_user_s", cpu_user, "broker_cpu_sys_s", cpu_sys));
	engine_teardown(&e);
	return r;
}

int engine_run_single(struct leapp_ctx *c, struct manifest *m, json_t *input, json_t **ret_output)
{
	struct engine e = {0};
	if (sandbox_check(c) < 0)
		return -ENOTSUP;
	engine_setup(&e, c);
	load_answers(&e);
	e.single = true;
	e.single_input = input;
	e.single_output = json_pack("{s:s, s:[], s:[], s:[], s:[], s:[], s:[]}", "actor", m->name, "messages", "reports", "logs",
				    "dialogs", "commands", "errors");
	struct execution ex;
	json_t *cfg = execution_config(c);
	int r = store_execution_new(c->store, "actor-run", c->cmdline, cfg, &ex);
	json_decref(cfg);
	if (r < 0) {
		output_diag(c->out, "error", "cannot record the run: %s", store_errmsg(c->store));
		engine_teardown(&e);
		json_decref(e.single_output);
		return r;
	}
	e.exec = &ex;
	/* the workflow configuration given with the input, else that of the last run, so that
	 * actors which need it can run alone */
	struct execution last;
	if (c->workflow_override) {
		e.workflow_cfg = json_incref(c->workflow_override);
	} else if ((r = store_execution_last(c->store, "upgrade", &last)) == 0 ||
		   (r == -ENOENT && (r = store_execution_last(c->store, "preupgrade", &last)) == 0)) {
		struct execution *keep = e.exec;
		e.exec = &last;
		r = engine_load_workflow_cfg(&e);
		e.exec = keep;
		execution_clear(&last);
	}
	if (r < 0 && r != -ENOENT)
		(void)engine_store_failed(&e, r, "reading the last run");
	const struct phase_def *ph = workflow_phase(&c->wf, m->phase);
	struct stage_run sr = {.e = &e, .phase = ph, .stage = m->stage};
	sr.procs = xcalloc(1, sizeof(*sr.procs));
	sr.n = 1;
	sr.procs[0] = (struct proc){.e = &e, .sr = &sr, .m = m, .state = P_PENDING};
	e.sr = &sr;
	if (e.store_error)
		sr.stop_starting = true;
	stage_schedule(&sr);
	if (sr.finished < sr.n)
		uv_run(&e.loop, UV_RUN_DEFAULT);
	bool ok = sr.procs[0].state == P_DONE && !sr.procs[0].failure && !sr.procs[0].skipped && !e.store_error;
	json_object_set_new(e.single_output, "status", json_string(ok ? "ok" : "failed"));
	if (sr.procs[0].failure)
		json_object_set_new(e.single_output, "failure", json_string(sr.procs[0].failure));
	e.sr = NULL;
	if (!e.store_error) {
		r = store_execution_update(c->store, ex.id, ok ? "finished" : "failed", NULL, NULL, true);
		if (r == 0)
			r = store_flush(c->store, true);
		(void)engine_store_failed(&e, r, "recording the end of the run");
	}
	stage_clear(&sr);
	execution_clear(&ex);
	r = e.store_error ? -EIO : ok ? 0 : -EPROTO;
	engine_teardown(&e);
	*ret_output = e.single_output;
	return r;
}

/* The scheduler: the actors of one phase and stage, in dependency order, at most --jobs at a time. */
#include "broker.h"
#include "engine.h"
#include "output.h"
#include "report.h"

static bool deps_done(struct stage_run *sr, struct proc *p)
{
	for (size_t i = 0; i < p->n_deps; i++)
		if (sr->procs[p->deps[i]].state != P_DONE)
			return false;
	return true;
}

/* May p become runnable as soon as what runs now finishes? */
static bool deps_running_or_done(struct stage_run *sr, struct proc *p)
{
	for (size_t i = 0; i < p->n_deps; i++) {
		enum proc_state st = sr->procs[p->deps[i]].state;
		if (st != P_DONE && st != P_RUNNING)
			return false;
	}
	return true;
}

static void start_failed(struct stage_run *sr, struct proc *p, int r)
{
	struct engine *e = sr->e;
	if (p->state == P_PREPARED) {
		proc_discard(p); /* its waiting child is killed; counted done once reaped */
	} else {
		p->state = P_DONE;
		sr->finished++;
	}
	e->errors = true;
	if (e->store_error)
		return; /* said already; nothing more is written */
	output_diag(e->c->out, "error", "cannot start actor %s: %s", p->m->name, strerror(-r));
	int w = 0;
	if (p->run <= 0)
		w = store_run_new(e->c->store, e->exec->id, p->m->name, p->m->phase, sr->phase->index, p->m->stage, p->position,
				  &p->run);
	if (w == 0 && p->run > 0) {
		_cleanup_free_ char *cause = xasprintf("could not be started: %s", p->failure ? p->failure : strerror(-r));
		json_t *entry = report_entry_failure(p->m->name, p->m->phase, cause, "", e->hostname, e->exec->uuid, p->run);
		w = store_report_add(e->c->store, e->exec->id, p->run, "broker", entry);
		json_decref(entry);
		if (w == 0)
			w = store_run_finished(e->c->store, p->run, "failed", 127, 0, 0, 0, false, cause);
	}
	if (engine_store_failed(e, w, "recording an actor that could not start"))
		return;
	if (sr->phase->policy == POLICY_FAIL_IMMEDIATELY)
		sr->stop_starting = true;
}

void stage_schedule(struct stage_run *sr)
{
	struct engine *e = sr->e;
	bool prepared = false;
	for (size_t i = 0; i < sr->n; i++) {
		struct proc *p = &sr->procs[i];
		if ((p->state != P_PENDING && p->state != P_PREPARED) || p->discarded)
			continue;
		if (sr->stop_starting) {
			if (p->state == P_PREPARED) {
				proc_discard(p); /* counted done once it is reaped */
				continue;
			}
			p->state = P_DONE;
			p->skipped = true;
			sr->finished++;
			continue;
		}
		if (sr->running >= (size_t)e->c->opt.jobs || !deps_done(sr, p)) {
			prepared |= p->state == P_PREPARED;
			continue;
		}
		int r = proc_start(p);
		if (r < 0)
			start_failed(sr, p, r);
	}
	/* the sandbox of the next actor to run is set up while the running ones work: one ahead */
	if (!prepared && !sr->stop_starting && !e->c->opt.no_sandbox && sr->running > 0) {
		for (size_t i = 0; i < sr->n; i++) {
			struct proc *p = &sr->procs[i];
			if (p->state != P_PENDING || p->prepare_failed || !deps_running_or_done(sr, p))
				continue;
			if (proc_prepare(p, true) < 0) {
				/* the start proper will fail again and report it; free what was made */
				p->prepare_failed = true;
				free(p->failure);
				p->failure = NULL;
				free(p->scratch);
				p->scratch = NULL;
				p->state = P_PENDING;
			}
			break;
		}
	}
	if (sr->finished == sr->n)
		uv_stop(&e->loop);
}

/* Position order: a topological order of the stage (producers first), ties by name. */
static void build_stage(struct engine *e, struct stage_run *sr, struct manifest **sel, size_t n)
{
	sr->procs = xcalloc(n + 1, sizeof(*sr->procs));
	sr->n = n;
	bool *placed = xcalloc(n + 1, sizeof(bool));
	/* sel is sorted by name; repeatedly place the first actor whose producers are placed */
	for (size_t pos = 0; pos < n; pos++) {
		size_t pick = n;
		for (size_t i = 0; i < n && pick == n; i++) {
			if (placed[i])
				continue;
			bool ready = true;
			for (size_t j = 0; j < n && ready; j++) {
				if (j == i || placed[j])
					continue;
				for (size_t k = 0; k < sel[j]->n_produces && ready; k++)
					if (manifest_consumes(sel[i], sel[j]->produces[k]))
						ready = false;
			}
			if (ready)
				pick = i;
		}
		if (pick == n) /* cannot happen: cycles are refused at load time */
			for (pick = 0; placed[pick]; pick++)
				;
		placed[pick] = true;
		struct proc *p = &sr->procs[pos];
		p->e = e;
		p->sr = sr;
		p->m = sel[pick];
		p->position = pos;
		p->state = P_PENDING;
	}
	free(placed);
	for (size_t i = 0; i < n; i++) {
		struct proc *p = &sr->procs[i];
		p->deps = xcalloc(n + 1, sizeof(size_t));
		for (size_t j = 0; j < i; j++)
			for (size_t k = 0; k < sr->procs[j].m->n_produces; k++)
				if (manifest_consumes(p->m, sr->procs[j].m->produces[k])) {
					p->deps[p->n_deps++] = j;
					break;
				}
	}
}

void stage_clear(struct stage_run *sr)
{
	for (size_t i = 0; i < sr->n; i++) {
		struct proc *p = &sr->procs[i];
		free(p->deps);
		free(p->failure);
		free(p->scratch);
		free(p->sb_inputs);
		for (size_t k = 0; k < p->n_last; k++)
			free(p->last_logs[k]);
		buf_free(&p->outline);
		json_decref(p->pending_workflow);
		json_decref(p->pending_logfiles);
		if (p->rd.zone)
			frame_reader_clear(&p->rd);
	}
	free(sr->procs);
	memset(sr, 0, sizeof(*sr));
}

/* Run the actors of one phase and stage; returns when all are done. */
void run_stage(struct engine *e, const struct phase_def *ph, enum stage st, bool resume)
{
	struct leapp_ctx *c = e->c;
	struct manifest **sel = xcalloc(c->actors.n + 1, sizeof(*sel));
	size_t n = 0;
	for (size_t i = 0; i < c->actors.n; i++) {
		struct manifest *m = c->actors.v[i];
		if (strcmp(m->phase, ph->name) || m->stage != st)
			continue;
		const char *why;
		if (!actor_enabled(c, m, &why)) {
			output_diag(c->out, "debug", "actor %s is not run: %s", m->name, why);
			continue;
		}
		sel[n++] = m;
	}
	if (n == 0) {
		free(sel);
		return;
	}
	struct stage_run sr = {.e = e, .phase = ph, .stage = st};
	build_stage(e, &sr, sel, n);
	free(sel);
	e->sr = &sr;
	for (size_t i = 0; resume && i < sr.n && !e->store_error; i++) {
		int r = store_run_committed(c->store, e->exec->id, sr.procs[i].m->name, ph->name);
		if (r > 0) {
			sr.procs[i].state = P_DONE;
			sr.procs[i].skipped = true;
			sr.finished++;
		}
		(void)engine_store_failed(e, r, "reading which actors have run");
	}
	if (e->interrupted || e->store_error)
		sr.stop_starting = true;
	stage_schedule(&sr);
	/* always: when every actor of the stage was skipped (resume) or failed to start,
	 * stage_schedule() has called uv_stop() already, and only uv_run() clears that flag; left
	 * set, it would end the next stage's loop while its actors still run */
	uv_run(&e->loop, UV_RUN_DEFAULT);
	e->sr = NULL;
	if (!e->store_error)
		(void)engine_store_failed(e, store_flush(c->store, false), "committing a batch");
	stage_clear(&sr);
}

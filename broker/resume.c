/* Resume: where --resume continues, what it refuses, and the workflow configuration it restores. */
#include "broker.h"
#include "engine.h"
#include "output.h"

/* Decide where --resume continues; refuse with a clear reason when it must not. */
int engine_resume_prepare(struct engine *e, struct execution *ex, size_t *ret_from)
{
	struct leapp_ctx *c = e->c;
	if (!strcmp(ex->status, "finished")) {
		output_diag(c->out, "error", "the last upgrade (%s) has finished: there is nothing to resume", ex->uuid);
		return -EALREADY;
	}
	if (!strcmp(ex->status, "rolled-back")) {
		output_diag(c->out, "error", "the last upgrade (%s) was rolled back (leapp rollback): run leapp upgrade again",
			    ex->uuid);
		return -EPERM;
	}
	if (!strcmp(ex->status, "inhibited")) {
		output_diag(c->out, "error",
			    "the last upgrade (%s) was inhibited: fix the inhibitors in the report and run leapp upgrade again",
			    ex->uuid);
		return -EPERM;
	}
	struct run_info fr = {0};
	int r = store_last_failed_run(c->store, ex->id, &fr);
	if (r < 0 && r != -ENOENT) {
		/* the refusal below must not be skipped because the store could not tell */
		output_diag(c->out, "error", "cannot read the actor runs of the last upgrade: %s", store_errmsg(c->store));
		return r;
	}
	if (r == 0) {
		if (!c->opt.force) {
			output_diag(c->out, "error",
				    "actor %s failed in phase %s of the last upgrade (%s); fix the cause (see the report) and "
				    "run leapp upgrade --resume --force to run it again",
				    fr.actor, fr.phase, ex->uuid);
			run_info_clear(&fr);
			return -EPERM;
		}
		output_diag(c->out, "warning", "--force: running the failed actor %s again", fr.actor);
		run_info_clear(&fr);
	}
	/* a reboot was requested: the interim phases run only after it happened */
	if (!strcmp(ex->status, "reboot") && ex->boot_id && !strcmp(c->root, "/")) {
		_cleanup_free_ char *now = engine_boot_id();
		if (now && !strcmp(now, ex->boot_id)) {
			output_diag(c->out, "error",
				    "the system has not rebooted since phase %s asked for it: reboot to continue the upgrade",
				    ex->next_phase ? ex->next_phase : "?");
			return -EAGAIN;
		}
	}
	/* stopped (not inhibited: that was refused above) right before a phase that runs after a
	 * reboot, without the reboot having been asked for: the preparation of that reboot (the
	 * upgrade initramfs, its boot entry) did not finish, so going on would be wrong */
	if (!strcmp(ex->status, "stopped") && ex->next_phase) {
		const struct phase_def *nx = workflow_phase(&c->wf, ex->next_phase);
		const struct phase_def *before = nx && nx->index > 0 ? &c->wf.phases[nx->index - 1] : NULL;
		if (before && (before->request_restart_after || before->restart_after)) {
			output_diag(c->out, "error",
				    "the last upgrade (%s) stopped at the end of phase %s, before the reboot it prepares: "
				    "see the report, then run leapp upgrade again",
				    ex->uuid, before->name);
			return -EPERM;
		}
	}
	int n = store_discard_uncommitted(c->store, ex->id);
	if (n > 0)
		output_diag(c->out, "info", "discarded %d actor run(s) that did not commit", n);
	r = n < 0 ? n : store_flush(c->store, true);
	if (engine_store_failed(e, r, "discarding the runs that did not commit"))
		return r;
	size_t from = 0;
	if (ex->next_phase) {
		const struct phase_def *ph = workflow_phase(&c->wf, ex->next_phase);
		if (!ph) {
			output_diag(c->out, "error", "the last upgrade stopped in unknown phase '%s'", ex->next_phase);
			return -EINVAL;
		}
		from = (size_t)ph->index;
	}
	/* crashed: continue in the phase of the last recorded run, if it is later */
	json_t *runs = NULL;
	if (engine_store_failed(e, (r = store_runs_list(c->store, ex->id, &runs)), "reading the actor runs"))
		return r;
	size_t nr = json_array_size(runs);
	if (nr) {
		const struct phase_def *ph =
			workflow_phase(&c->wf, json_string_value(json_object_get(json_array_get(runs, nr - 1), "phase")));
		if (ph && (size_t)ph->index > from)
			from = (size_t)ph->index;
	}
	json_decref(runs);
	/* next_phase stays as the floor while it runs: killed before a run of the phases after a
	 * reboot commits, the next resume must not go back to the phase before the reboot (whose
	 * runs are the last recorded), which would only ask for the reboot again */
	r = store_execution_update(c->store, ex->id, "running", c->wf.phases[from].name, NULL, false);
	if (engine_store_failed(e, r, "recording the state of the run"))
		return r;
	*ret_from = from;
	return 0;
}

int engine_load_workflow_cfg(struct engine *e)
{
	void *data = NULL;
	size_t len = 0;
	/* the model schema says which model carries it (workflow_config: true) */
	const struct model *md = model_registry_workflow_config(e->c->models);
	if (!md)
		return 0;
	int r = store_message_last(e->c->store, e->exec->id, md->name, &data, &len);
	if (r == -ENOENT)
		return 0;
	if (engine_store_failed(e, r, "reading the workflow configuration"))
		return r;
	msgpack_zone z;
	msgpack_zone_init(&z, 2048);
	msgpack_object o;
	size_t off = 0;
	if (msgpack_unpack(data, len, &off, &z, &o) == MSGPACK_UNPACK_SUCCESS)
		e->workflow_cfg = msgpack_to_json(&o);
	msgpack_zone_destroy(&z);
	free(data);
	return 0;
}

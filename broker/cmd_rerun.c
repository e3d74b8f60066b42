/* leapp rerun: run the last upgrade again from one of the phases after the reboot. */
#include "cli.h"
#include "output.h"

static const struct cli_cmd cmd = {
	"rerun",
	"usage: leapp rerun --from-phase PHASE [OPTIONS]\n"
	"       leapp rerun PHASE [OPTIONS]\n\n"
	"Run the last upgrade again from PHASE, one of the phases after the reboot (InitRamStart and\n"
	"later), as the upgrade initramfs or the first boot would: the actor runs of PHASE and later\n"
	"phases are discarded and run again, with what the earlier phases produced as input. PHASE\n"
	"must already have run (or the upgrade finished). The phases before the reboot cannot be run\n"
	"again this way: run leapp upgrade. The previous report and leapp-upgrade.log are archived.\n\n"
	"exit codes: 0 success, 1 error, 2 usage, 3 inhibited\n",
	OPT_FROM_PHASE | OPT_ROOT | OPT_JOBS | OPT_JSON_PROGRESS | OPT_VERBOSE | OPT_REPORT_SCHEMA | OPT_NO_SANDBOX |
		OPT_REBOOT,
};

/* Has the execution reached phase ph (a run in it or later), or finished? */
static bool phase_reached(struct leapp_ctx *c, const struct execution *ex, const struct phase_def *ph)
{
	if (ex->status && !strcmp(ex->status, "finished"))
		return true;
	json_t *runs = NULL;
	if (store_runs_list(c->store, ex->id, &runs) < 0)
		return true; /* the caller's next store access reports the error */
	bool reached = false;
	size_t i;
	json_t *run;
	json_array_foreach(runs, i, run) {
		const struct phase_def *rp = workflow_phase(&c->wf, json_string_value(json_object_get(run, "phase")));
		reached |= rp && rp->index >= ph->index;
	}
	json_decref(runs);
	return reached;
}

/* Returns the exit code; the JSON stream is ended in every case. */
static int rerun(struct leapp_ctx *c, const char *from)
{
	int r = workflow_load(c, cmd.name);
	if (r)
		return workflow_fail(c, r);
	_cleanup_free_ char *name = xstrdup(from);
	/* leapp names phases with a "Phase" suffix (FirstBootPhase) */
	if (str_endswith(name, "Phase") && strlen(name) > 5 && !workflow_phase(&c->wf, name))
		name[strlen(name) - 5] = 0;
	const struct phase_def *ph = workflow_phase(&c->wf, name);
	const struct phase_def *first = workflow_phase(&c->wf, "InitRamStart");
	if (!ph) {
		struct buf b = {0};
		for (size_t i = first ? (size_t)first->index : 0; i < c->wf.n; i++)
			buf_printf(&b, "%s%s", b.len ? ", " : "", c->wf.phases[i].name);
		output_diag(c->out, "error", "rerun: unknown phase '%s' (one of: %s)", from, b.data ? b.data : "");
		buf_free(&b);
		return workflow_fail(c, EXIT_USAGE);
	}
	if (first && ph->index < first->index) {
		output_diag(c->out, "error", "rerun: %s runs before the reboot and cannot be run again; run leapp upgrade",
			    ph->name);
		return workflow_fail(c, EXIT_USAGE);
	}
	if (ctx_open_store(c, false) < 0)
		return workflow_fail(c, EXIT_ERROR);
	struct execution ex;
	if ((r = store_execution_last(c->store, "upgrade", &ex)) < 0) {
		if (r == -ENOENT)
			output_diag(c->out, "error", "rerun: no upgrade is recorded in %s: run leapp upgrade first",
				    store_path(c->store));
		else
			output_diag(c->out, "error", "rerun: cannot read the last upgrade: %s", store_errmsg(c->store));
		return workflow_fail(c, EXIT_ERROR);
	}
	if (!phase_reached(c, &ex, ph)) {
		output_diag(c->out, "error",
			    "rerun: the last upgrade (%s, %s) has not reached phase %s yet; continue it with leapp upgrade "
			    "--resume",
			    ex.uuid, ex.status ? ex.status : "?", ph->name);
		execution_clear(&ex);
		return workflow_fail(c, EXIT_ERROR);
	}
	if ((r = workflow_open(c, RUN_UPGRADE, true))) {
		execution_clear(&ex);
		return workflow_fail(c, r);
	}
	int n = store_discard_from_phase(c->store, ex.id, ph->index);
	r = n < 0 ? n : store_execution_update(c->store, ex.id, "rerun", ph->name, NULL, false);
	if (r == 0)
		r = store_flush(c->store, true);
	if (r < 0) {
		output_diag(c->out, "error", "rerun: the audit store failed: %s", store_errmsg(c->store));
		execution_clear(&ex);
		return workflow_fail(c, EXIT_ERROR);
	}
	output_diag(c->out, "info", "rerunning upgrade %s from phase %s (%d earlier actor run(s) discarded)", ex.uuid,
		    ph->name, n < 0 ? 0 : n);
	execution_clear(&ex);
	/* the path of --resume: it continues at next_phase; the failed runs there were discarded */
	c->opt.resume = true;
	c->opt.force = true;
	return workflow_run(c, RUN_UPGRADE);
}

int cmd_rerun(int argc, char **argv, struct leapp_ctx *c)
{
	struct cli_args a = {0};
	int oi, r = parse_options(argc, argv, &cmd, c, &a, &oi);
	if (r) {
		cli_args_clear(&a);
		return r == 1 ? EXIT_OK : r;
	}
	/* leapp's form is positional: leapp rerun FirstBoot */
	if (!a.from_phase && oi < argc)
		a.from_phase = xstrdup(argv[oi++]);
	if ((r = no_more_arguments(&cmd, argc, argv, oi))) {
		cli_args_clear(&a);
		return r;
	}
	if (!a.from_phase) {
		fprintf(stderr, "leapp rerun: which phase? (leapp rerun --from-phase PHASE, see leapp rerun --help)\n");
		cli_args_clear(&a);
		return EXIT_USAGE;
	}
	r = rerun(c, a.from_phase);
	cli_args_clear(&a);
	return r;
}

/* leapp rerun: run the last upgrade again from one of its interim phases. */
#include <getopt.h>

#include "cli.h"
#include "output.h"

static const char usage[] =
	"usage: leapp rerun --from-phase PHASE [--root DIR] [OPTIONS]\n\n"
	"Run the last upgrade again from PHASE, one of the phases after the reboot (InitRamStart\n"
	"and later): the runs of PHASE and later are discarded and run again, as in the upgrade\n"
	"initramfs. Phases before the reboot cannot be run again this way: run leapp upgrade.\n\noptions:\n"
	"  --from-phase PHASE                   the phase to start from\n";

int cmd_rerun(int argc, char **argv, struct leapp_ctx *c)
{
	const char *from = NULL;
	char **rest = xcalloc((size_t)argc + 1, sizeof(char *));
	int nrest = 0;
	rest[nrest++] = argv[0];
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--from-phase") && i + 1 < argc)
			from = argv[++i];
		else if (str_startswith(argv[i], "--from-phase="))
			from = argv[i] + strlen("--from-phase=");
		else
			rest[nrest++] = argv[i];
	}
	int oi, r = parse_options(nrest, rest, OPT_WORKFLOW, c, usage, &oi);
	free(rest);
	if (r)
		return r == 1 ? EXIT_OK : r;
	if (!from) {
		fprintf(stderr, "leapp rerun: --from-phase PHASE is required\n");
		return EXIT_USAGE;
	}
	output_free(output_global);
	c->out = output_global = output_new(c->opt.json_progress, c->opt.verbose, c->opt.debug);
	if (ctx_init(c, "leapp") < 0)
		return EXIT_USAGE;
	if (ctx_load(c) < 0)
		return EXIT_ERROR;
	const struct phase_def *ph = workflow_phase(&c->wf, from);
	const struct phase_def *first = workflow_phase(&c->wf, "InitRamStart");
	if (!ph) {
		fprintf(stderr, "leapp rerun: unknown phase '%s'\n", from);
		return EXIT_USAGE;
	}
	if (first && ph->index < first->index) {
		fprintf(stderr, "leapp rerun: %s runs before the reboot; run leapp upgrade instead\n", from);
		return EXIT_USAGE;
	}
	if (ctx_open_store(c, false) < 0)
		return EXIT_ERROR;
	struct execution ex;
	if (store_execution_last(c->store, "upgrade", &ex) < 0) {
		fprintf(stderr, "leapp rerun: no upgrade is recorded in %s\n", store_path(c->store));
		return EXIT_ERROR;
	}
	int n = store_discard_from_phase(c->store, ex.id, ph->index);
	store_execution_update(c->store, ex.id, "rerun", ph->name, NULL, false);
	store_flush(c->store, true);
	output_diag(c->out, "info", "rerunning upgrade %s from phase %s (%d earlier run(s) of it discarded)", ex.uuid,
		    ph->name, n < 0 ? 0 : n);
	execution_clear(&ex);
	/* the same path as --resume, without the reboot check (the status is not "reboot") */
	store_close(c->store);
	c->store = NULL;
	close(c->lock_fd);
	c->lock_fd = -1;
	c->opt.resume = true;
	c->opt.force = true;
	return workflow_command(c, RUN_UPGRADE);
}

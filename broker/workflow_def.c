/* The workflow definition: phases, their error policies, flags and sandbox profiles. */
#include "broker.h"
#include "leapp/yaml.h"

void workflow_def_clear(struct workflow_def *w)
{
	for (size_t i = 0; i < w->n; i++) {
		free(w->phases[i].name);
		free(w->phases[i].description);
	}
	free(w->phases);
	free(w->name);
	memset(w, 0, sizeof(*w));
}

const struct phase_def *workflow_phase(const struct workflow_def *w, const char *name)
{
	for (size_t i = 0; i < w->n; i++)
		if (!strcmp(w->phases[i].name, name))
			return &w->phases[i];
	return NULL;
}

int workflow_def_load(struct workflow_def *w, const char *path, char **ret_err)
{
	struct ydoc *doc = NULL;
	if (ydoc_load_file(path, &doc, ret_err) < 0)
		return -EINVAL;
	int r = -EINVAL;
	const struct ynode *root = doc->root, *name = ynode_get(root, "workflow"), *phases = ynode_get(root, "phases");
	if (!root || root->kind != YNODE_MAP || !name || name->kind != YNODE_SCALAR || !phases || phases->kind != YNODE_SEQ) {
		*ret_err = xasprintf("%s: a workflow is a map with 'workflow' (its name) and 'phases' (a list)", path);
		goto out;
	}
	w->name = xstrdup(name->scalar);
	w->phases = xcalloc(phases->n, sizeof(*w->phases));
	for (size_t i = 0; i < phases->n; i++) {
		const struct ynode *p = phases->items[i];
		struct phase_def *d = &w->phases[w->n];
		const struct ynode *pn = ynode_get(p, "name"), *pol = ynode_get(p, "policy"), *prof = ynode_get(p, "profile"),
				   *flags = ynode_get(p, "flags"), *desc = ynode_get(p, "description");
		if (!pn || pn->kind != YNODE_SCALAR) {
			*ret_err = xasprintf("%s:%d: a phase needs a name", path, p->line);
			goto out;
		}
		d->name = xstrdup(pn->scalar);
		d->index = (int)w->n;
		w->n++;
		d->description = xstrdup(desc && desc->kind == YNODE_SCALAR ? desc->scalar : "");
		const char *ps = pol && pol->kind == YNODE_SCALAR ? pol->scalar : "fail-phase";
		if (!strcmp(ps, "fail-phase"))
			d->policy = POLICY_FAIL_PHASE;
		else if (!strcmp(ps, "fail-immediately"))
			d->policy = POLICY_FAIL_IMMEDIATELY;
		else if (!strcmp(ps, "report-only"))
			d->policy = POLICY_REPORT_ONLY;
		else {
			*ret_err = xasprintf("%s:%d: policy must be fail-phase, fail-immediately or report-only", path, pol->line);
			goto out;
		}
		const char *prs = prof && prof->kind == YNODE_SCALAR ? prof->scalar : "source";
		if (!strcmp(prs, "source"))
			d->profile = PROFILE_SOURCE;
		else if (!strcmp(prs, "interim-preparation"))
			d->profile = PROFILE_INTERIM_PREP;
		else if (!strcmp(prs, "read-write"))
			d->profile = PROFILE_READWRITE;
		else {
			*ret_err = xasprintf("%s:%d: profile must be source, interim-preparation or read-write", path, prof->line);
			goto out;
		}
		for (size_t k = 0; flags && flags->kind == YNODE_SEQ && k < flags->n; k++) {
			const char *f = flags->items[k]->scalar ? flags->items[k]->scalar : "";
			if (!strcmp(f, "checkpoint"))
				d->checkpoint = true;
			else if (!strcmp(f, "restart-after"))
				d->restart_after = true;
			else if (!strcmp(f, "request-restart-after"))
				d->request_restart_after = true;
			else if (!strcmp(f, "preupgrade-stops-here"))
				d->stop_preupgrade = true;
			else if (!strcmp(f, "inhibitor-barrier"))
				d->inhibitor_barrier = true;
			else if (!strcmp(f, "skip-when-inhibited"))
				d->skip_on_inhibitor = true;
			else {
				*ret_err = xasprintf("%s:%d: unknown phase flag '%s'", path, flags->items[k]->line, f);
				goto out;
			}
		}
	}
	r = 0;
out:
	ydoc_free(doc);
	if (r < 0)
		workflow_def_clear(w);
	return r;
}

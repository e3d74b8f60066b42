/* Re-solving a planned transaction from its PlannedTransaction message (see replan.h). */
#include "plan.h"
#include "fetch.h"

#include "leapp/util.h"

static enum solve_task_kind kind_of(const char *k)
{
	static const char *const names[] = {"install", "remove", "keep", "lock", "note"};
	for (size_t i = 0; i < ELEMENTSOF(names); i++)
		if (k && !strcmp(k, names[i]))
			return (enum solve_task_kind)i;
	return SOLVE_TASK_NOTE;
}

int replan_solve(json_t *plan, const char *root, const char *arch,
		 const char *(*baseurl_for)(const char *repoid, void *userdata), void *userdata,
		 struct solve_result *ret, struct solve_ctx **ret_ctx, char **ret_err)
{
	json_t *repos = json_object_get(plan, "repos");
	size_t n = json_array_size(repos), i;
	struct solve_repo_opts *opts = xcalloc(n + 1, sizeof(*opts));
	json_t *r, *v;
	json_array_foreach(repos, i, r) {
		const char *id = json_string_value(json_object_get(r, "repoid"));
		const char *url = baseurl_for ? baseurl_for(id, userdata) : NULL;
		if (!url)
			url = repomd_dir_of(r);
		if (!url)
			url = json_string_value(json_array_get(json_object_get(r, "baseurl"), 0));
		json_t *prio = json_object_get(r, "priority");
		opts[i] = (struct solve_repo_opts){
			.id = id,
			.baseurl = url,
			.module_hotfixes = json_is_true(json_object_get(r, "module_hotfixes")),
			.priority = json_is_integer(prio) ? (int)json_integer_value(prio) : 99,
		};
		opts[i].exclude = plan_json_strv(json_object_get(r, "exclude"), &opts[i].n_exclude);
		opts[i].includepkgs = plan_json_strv(json_object_get(r, "includepkgs"), &opts[i].n_includepkgs);
	}
	struct solve_ctx *s = solve_new(arch);
	char *rpmdb_err = NULL, **errors = NULL;
	size_t n_errors = 0;
	int rc = solve_load(s, root, opts, n, &rpmdb_err, &errors, &n_errors);
	for (i = 0; i < n; i++) {
		strv_free_n((char **)opts[i].exclude, opts[i].n_exclude);
		strv_free_n((char **)opts[i].includepkgs, opts[i].n_includepkgs);
	}
	free(opts);
	if (rc < 0 || n_errors) {
		*ret_err = rc < 0 ? rpmdb_err : xstrdup(errors[0]);
		if (rc >= 0)
			free(rpmdb_err);
		strv_free_n(errors, n_errors);
		solve_free(s);
		return rc < 0 ? rc : -EIO;
	}
	json_array_foreach(json_object_get(plan, "excludes"), i, v)
		if (json_is_string(v))
			solve_add_exclude(s, json_string_value(v));
	json_array_foreach(json_object_get(plan, "installonly"), i, v)
		if (json_is_string(v))
			solve_add_installonly(s, json_string_value(v));
	/* the module filter of the active target streams, from the repositories' modules.yaml */
	struct modules_index *idx = modules_index_new();
	json_array_foreach(repos, i, r) {
		const char *id = json_string_value(json_object_get(r, "repoid"));
		const char *mp = solve_repo_modules_path(s, id);
		if (mp && modules_index_add_file(idx, mp, id, ret_err) < 0) {
			modules_index_free(idx);
			solve_free(s);
			return -EINVAL;
		}
	}
	size_t n_active = 0;
	char **active = plan_json_strv(json_object_get(plan, "active_streams"), &n_active);
	struct solve_module_filter filter;
	modules_index_filter(idx, active, n_active, &filter);
	if (filter.n_modular)
		solve_set_module_filter(s, &filter);
	modules_filter_free(&filter);
	modules_index_free(idx);
	strv_free_n(active, n_active);

	json_t *jt = json_object_get(plan, "tasks");
	struct solve_task *tasks = xcalloc(json_array_size(jt) + 1, sizeof(*tasks));
	size_t nt = 0;
	json_array_foreach(jt, i, v) {
		const char *name = json_string_value(json_object_get(v, "name"));
		const char *reason = json_string_value(json_object_get(v, "reason"));
		if (name && reason)
			tasks[nt++] = (struct solve_task){kind_of(json_string_value(json_object_get(v, "kind"))), name, reason};
	}
	rc = solve_run(s, tasks, nt, ret, ret_err);
	free(tasks);
	if (rc < 0) {
		solve_free(s);
		return rc;
	}
	*ret_ctx = s;
	return 0;
}

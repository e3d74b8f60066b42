/* TargetTransactionFactsCollection: the planned RPM transaction. The installed rpmdb and the
 * target repositories go into libsolv with the PES and admin tasks and the module streams; the
 * result is the PlannedTransaction message and /var/log/leapp/transaction.json (written
 * atomically, and only for a complete plan). */
#include <sys/stat.h>

#include "sys.h"
#include "fetch.h"
#include "plan.h"
#include "leapp/actor.h"

/* dnf's default installonlypkgs, plus the kernel subpackages the upgrade installs beside */
static const char *const default_installonly[] = {"kernel",
						  "kernel-core",
						  "kernel-modules",
						  "kernel-modules-extra",
						  "kernel-PAE",
						  "installonlypkg(kernel)",
						  "installonlypkg(kernel-module)",
						  "installonlypkg(vm)",
						  "multiversion(kernel)"};

struct tasks {
	struct solve_task *v;
	size_t n;
	char **owned; /* strings the tasks point to */
	size_t n_owned;
};

static const char *own(struct tasks *t, char *s)
{
	t->owned = xrealloc(t->owned, (t->n_owned + 1) * sizeof(char *));
	t->owned[t->n_owned++] = s;
	return s;
}

static bool has_task(const struct tasks *t, const char *name)
{
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->v[i].name, name))
			return true;
	return false;
}

static void add_task(struct tasks *t, enum solve_task_kind kind, const char *name, const char *reason)
{
	t->v = xrealloc(t->v, (t->n + 1) * sizeof(*t->v));
	t->v[t->n++] = (struct solve_task){kind, own(t, xstrdup(name)), own(t, xstrdup(reason))};
}

static void add_pes_tasks(struct tasks *t, json_t *list, enum solve_task_kind kind)
{
	size_t i;
	json_t *v;
	json_array_foreach(list, i, v) {
		const char *name = json_string_value(json_object_get(v, "name"));
		const char *reason = json_string_value(json_object_get(v, "reason"));
		if (name && reason)
			add_task(t, kind, name, reason);
	}
}

static const char *const kind_names[] = {"install", "remove", "keep", "lock", "note"};

static json_t *item_json(const struct solve_item *it, bool full)
{
	json_t *j = json_pack("{s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:s}", "action", solve_action_name(it->action), "name",
			      it->name, "epoch", (json_int_t)it->epoch, "version", it->version, "release", it->release,
			      "arch", it->arch, "repo", it->repo, "reason", it->reason);
	json_object_set_new(j, "from", it->from ? json_string(it->from) : json_null());
	if (full || it->location) {
		json_object_set_new(j, "location", it->location ? json_string(it->location) : json_null());
		json_object_set_new(j, "checksum_type", it->checksum_type ? json_string(it->checksum_type) : json_null());
		json_object_set_new(j, "checksum", it->checksum ? json_string(it->checksum) : json_null());
		json_object_set_new(j, "size", json_integer((json_int_t)it->size));
	}
	json_object_set_new(j, "installonly", json_boolean(it->installonly));
	return j;
}

static void report_repo_errors(char **errors, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		_cleanup_free_ char *summary = xasprintf(
			"The upgrade cannot be planned, because a target repository cannot be used: %s. The transaction "
			"would miss the packages it holds.",
			errors[i]);
		json_t *e = report_new("A target repository cannot be used", summary, "high");
		report_add_group(e, "inhibitor");
		report_add_group(e, "repository");
		report_add_hint(e, "Check the repository's baseurl in /etc/leapp/files/leapp_upgrade_repositories.repo "
				   "(or the --enablerepo given) and that its metadata (repodata/repomd.xml and the files "
				   "it lists) is complete; recreate it with createrepo_c if it is damaged.");
		actor_report(e);
	}
}

static void push(char ***v, size_t *n, char *s)
{
	*v = xrealloc(*v, (*n + 1) * sizeof(char *));
	(*v)[(*n)++] = s;
}

/* what the steps of the planning share */
struct planner {
	double t_start;
	json_t *ipu, *pes, *trepos, *third, *dnf, *mods;
	struct solve_ctx *s;
	char **errors; /* why the plan cannot be made (repositories, module metadata) */
	size_t n_errors;
	json_t *used_repos;  /* the TargetRepositories entries loaded */
	json_t *excludes;    /* DNFConfig's (borrowed) */
	char **installonly;
	size_t n_installonly;
	char **active; /* the active module streams, name:stream */
	size_t n_active;
	json_t *stream_maps;
	char *fp; /* the installed rpmdb's fingerprint */
};

/* The options of one repository (false: no local metadata; the reason is in p->errors). */
static bool repo_opts(struct planner *p, json_t *r, struct solve_repo_opts *ret)
{
	const char *id = json_string_value(json_object_get(r, "repoid"));
	/* local metadata: a file:// baseurl, or the copy target_repositories fetched */
	const char *url = repomd_dir_of(r);
	if (!url) {
		const char *b = json_string_value(json_array_get(json_object_get(r, "baseurl"), 0));
		const char *ml = json_string_value(json_object_get(r, "mirrorlist"));
		const char *mt = json_string_value(json_object_get(r, "metalink"));
		/* target_repositories said why in its errors when it could not fetch it */
		push(&p->errors, &p->n_errors,
		     xasprintf("repository %s: no local copy of its metadata (%s%s)", id,
			       b ? "baseurl " : ml ? "mirrorlist " : mt ? "metalink, not supported: " : "nothing is set",
			       b ? b : ml ? ml : mt ? mt : ""));
		return false;
	}
	json_t *prio = json_object_get(r, "priority");
	size_t n_ex = 0, n_inc = 0;
	char **ex = plan_json_strv(json_object_get(r, "exclude"), &n_ex);
	char **inc = plan_json_strv(json_object_get(r, "includepkgs"), &n_inc);
	*ret = (struct solve_repo_opts){
		.id = id,
		.baseurl = url,
		.exclude = ex,
		.n_exclude = n_ex,
		.includepkgs = inc,
		.n_includepkgs = n_inc,
		.module_hotfixes = json_is_true(json_object_get(r, "module_hotfixes")),
		.priority = json_is_integer(prio) ? (int)json_integer_value(prio) : 99,
	};
	return true;
}

/* The repositories: their options, then the rpmdb and all of them loaded in parallel. */
static void planner_load(struct planner *p)
{
	_cleanup_free_ char *err = NULL;
	size_t i;
	json_t *r, *v;
	json_array_foreach(json_object_get(p->trepos, "errors"), i, v)
		push(&p->errors, &p->n_errors, xstrdup(json_string_value(v) ?: "?"));
	json_t *cand = json_array();
	p->used_repos = json_array();
	struct solve_repo_opts *opts = xcalloc(json_array_size(json_object_get(p->trepos, "repos")) + 1, sizeof(*opts));
	size_t n_opts = 0;
	json_array_foreach(json_object_get(p->trepos, "repos"), i, r) {
		if (!repo_opts(p, r, &opts[n_opts]))
			continue;
		n_opts++;
		json_array_append(cand, r);
	}
	char **load_errors = NULL;
	size_t n_load_errors = 0;
	if (solve_load(p->s, actor_root(), opts, n_opts, &err, &load_errors, &n_load_errors) < 0)
		actor_error("cannot read the installed packages", "%s", err);
	for (i = 0; i < n_load_errors; i++)
		push(&p->errors, &p->n_errors, load_errors[i]);
	free(load_errors);
	for (i = 0; i < n_opts; i++) {
		if (solve_repo_path(p->s, opts[i].id))
			json_array_append(p->used_repos, json_array_get(cand, i));
		strv_free_n((char **)opts[i].exclude, opts[i].n_exclude);
		strv_free_n((char **)opts[i].includepkgs, opts[i].n_includepkgs);
	}
	free(opts);
	json_decref(cand);
}

/* dnf's configuration: the excludes, and the install-only packages (dnf's defaults and its own). */
static void planner_dnf_config(struct planner *p)
{
	size_t i;
	json_t *v;
	p->excludes = json_object_get(p->dnf, "exclude");
	json_array_foreach(p->excludes, i, v)
		if (json_is_string(v))
			solve_add_exclude(p->s, json_string_value(v));
	for (i = 0; i < ELEMENTSOF(default_installonly); i++)
		push(&p->installonly, &p->n_installonly, xstrdup(default_installonly[i]));
	json_array_foreach(json_object_get(p->dnf, "installonlypkgs"), i, v)
		if (json_is_string(v) && !strv_contains(p->installonly, p->n_installonly, json_string_value(v)))
			push(&p->installonly, &p->n_installonly, xstrdup(json_string_value(v)));
	for (i = 0; i < p->n_installonly; i++)
		solve_add_installonly(p->s, p->installonly[i]);
}

/* The target stream of the enabled source stream name:stream (src): PES's stream map, PES's
 * modules to enable, the same stream, the target's default; NULL when none. *how says which. */
static char *stream_target(struct planner *p, struct modules_index *idx, const char *name, const char *stream,
			   const char *src, const char **how, json_int_t *event)
{
	size_t k;
	json_t *v;
	const char *target = NULL;
	bool mapped = false;
	*how = "none";
	*event = 0;
	json_array_foreach(json_object_get(p->pes, "stream_maps"), k, v)
		if (!mapped && !strcmp(json_string_value(json_object_get(v, "source")) ?: "", src)) {
			mapped = true;
			target = json_string_value(json_object_get(v, "target"));
			*event = json_integer_value(json_object_get(v, "event"));
			*how = target ? "pes" : "none";
		}
	char *tgt = target ? xstrdup(target) : NULL;
	if (mapped)
		return tgt;
	json_array_foreach(json_object_get(p->pes, "modules_to_enable"), k, v)
		if (!tgt && !strcmp(json_string_value(json_object_get(v, "name")) ?: "", name)) {
			tgt = xasprintf("%s:%s", name, json_string_value(json_object_get(v, "stream")));
			*how = "pes";
		}
	if (!tgt && modules_index_has_stream(idx, name, stream)) {
		tgt = xstrdup(src);
		*how = "same";
	}
	if (!tgt) {
		_cleanup_free_ char *def = modules_index_default_stream(idx, name);
		if (def) {
			tgt = xasprintf("%s:%s", name, def);
			*how = "default";
		}
	}
	return tgt;
}

/* The target stream of each enabled source stream, into p->active and p->stream_maps. */
static void map_enabled_streams(struct planner *p, struct modules_index *idx)
{
	size_t i;
	json_t *m;
	json_array_foreach(json_object_get(p->mods, "modules"), i, m) {
		const char *name = json_string_value(json_object_get(m, "name"));
		const char *stream = json_string_value(json_object_get(m, "stream"));
		const char *state = json_string_value(json_object_get(m, "state"));
		if (!name || !stream || !state || strcmp(state, "enabled") || !*stream)
			continue;
		_cleanup_free_ char *src = xasprintf("%s:%s", name, stream);
		const char *how;
		json_int_t event;
		_cleanup_free_ char *tgt = stream_target(p, idx, name, stream, src, &how, &event);
		if (tgt && !strv_contains(p->active, p->n_active, tgt))
			push(&p->active, &p->n_active, xstrdup(tgt));
		json_array_append_new(p->stream_maps, json_pack("{s:s, s:s?, s:I, s:s}", "source", src, "target", tgt,
								"event", event, "how", how));
		actor_info("module stream %s -> %s (%s)", src, tgt ? tgt : "no target stream", how);
	}
}

/* Modules the source never touched: their default streams are active, as dnf does. */
static void add_default_streams(struct planner *p, struct modules_index *idx)
{
	size_t i, k;
	json_t *m;
	char **names = modules_index_names(idx);
	for (i = 0; names[i]; i++) {
		bool known = false;
		json_array_foreach(json_object_get(p->mods, "modules"), k, m)
			known |= !strcmp(json_string_value(json_object_get(m, "name")) ?: "", names[i]);
		_cleanup_free_ char *def = known ? NULL : modules_index_default_stream(idx, names[i]);
		if (def) {
			char *a = xasprintf("%s:%s", names[i], def);
			if (!strv_contains(p->active, p->n_active, a))
				push(&p->active, &p->n_active, a);
			else
				free(a);
		}
	}
	strv_free(names);
}

/* Module streams: the target stream of each enabled source stream; the solver's module filter. */
static void planner_modules(struct planner *p)
{
	size_t i;
	json_t *r;
	struct modules_index *idx = modules_index_new();
	json_array_foreach(p->used_repos, i, r) {
		const char *id = json_string_value(json_object_get(r, "repoid"));
		const char *mp = solve_repo_modules_path(p->s, id);
		char *err = NULL;
		if (mp && modules_index_add_file(idx, mp, id, &err) < 0)
			push(&p->errors, &p->n_errors, TAKE_PTR(err));
		free(err);
	}
	p->stream_maps = json_array();
	map_enabled_streams(p, idx);
	add_default_streams(p, idx);
	struct solve_module_filter filter;
	modules_index_filter(idx, p->active, p->n_active, &filter);
	if (filter.n_modular)
		solve_set_module_filter(p->s, &filter);
	modules_filter_free(&filter);
	modules_index_free(idx);
}

/* The PlannedTransaction's inputs part (what the plan was made from); the result is added later. */
static json_t *planner_out_new(struct planner *p)
{
	json_t *out = json_object();
	json_object_set_new(out, "repos", p->used_repos);
	p->used_repos = NULL;
	json_object_set_new(out, "excludes", json_deep_copy(p->excludes ? p->excludes : json_array()));
	json_object_set_new(out, "installonly", plan_strv_json(p->installonly, p->n_installonly));
	json_object_set_new(out, "active_streams", plan_strv_json(p->active, p->n_active));
	json_object_set_new(out, "stream_maps", p->stream_maps);
	p->stream_maps = NULL;
	p->fp = solve_installed_fingerprint(p->s);
	char **nevras = solve_installed_nevras(p->s);
	size_t n_nevras = 0;
	while (nevras[n_nevras])
		n_nevras++;
	json_object_set_new(out, "rpmdb_fingerprint", json_string(p->fp));
	json_object_set_new(out, "installed", plan_strv_json(nevras, n_nevras));
	strv_free_n(nevras, n_nevras);
	json_object_set_new(out, "items", json_array());
	json_object_set_new(out, "kept", json_array());
	json_object_set_new(out, "problems", json_array());
	json_object_set_new(out, "counts", json_object());
	json_object_set_new(out, "transaction_file", json_null());
	return out;
}

/* The tasks: PES's, and a lock for each third-party package its vendor has no target build of. */
static void planner_tasks(struct planner *p, struct tasks *t, json_t *out)
{
	size_t i;
	json_t *v;
	add_pes_tasks(t, json_object_get(p->pes, "to_install"), SOLVE_TASK_INSTALL);
	add_pes_tasks(t, json_object_get(p->pes, "to_remove"), SOLVE_TASK_REMOVE);
	add_pes_tasks(t, json_object_get(p->pes, "to_keep"), SOLVE_TASK_KEEP);
	add_pes_tasks(t, json_object_get(p->pes, "notes"), SOLVE_TASK_NOTE);
	json_array_foreach(json_object_get(p->third, "items"), i, v) {
		const char *name = json_string_value(json_object_get(v, "name"));
		const char *vendor = json_string_value(json_object_get(v, "vendor"));
		if (!name || !strcmp(name, "gpg-pubkey") || has_task(t, name))
			continue;
		if (vendor && solve_repo_has_name(p->s, name, vendor))
			continue; /* its vendor ships a target build: distro-sync it like the rest */
		add_task(t, SOLVE_TASK_LOCK, name, "third-party package (not signed by the distribution): kept as installed");
	}
	json_t *jt = json_array();
	for (i = 0; i < t->n; i++)
		json_array_append_new(jt, json_pack("{s:s, s:s, s:s}", "kind", kind_names[t->v[i].kind], "name",
						    t->v[i].name, "reason", t->v[i].reason));
	json_object_set_new(out, "tasks", jt);
	json_object_set_new(out, "errors", json_array());
}

static void planner_log_stats(struct planner *p, json_t *out)
{
	const struct solve_stats *st = solve_get_stats(p->s);
	json_object_set_new(out, "timings",
			    json_pack("{s:f, s:f, s:f, s:f, s:f, s:f, s:f}", "load", st->t_load, "rpmdb", st->t_installed,
				      "repos", st->t_repos, "filelists", st->t_filelists, "filter", st->t_filter, "solve",
				      st->t_solve, "total", now_monotonic() - p->t_start));
	actor_info("timings: load=%.4f rpmdb=%.4f repos=%.4f filelists=%.4f filter=%.4f solve=%.4f total=%.4f",
		   st->t_load, st->t_installed, st->t_repos, st->t_filelists, st->t_filter, st->t_solve,
		   now_monotonic() - p->t_start);
	actor_info("solver: %zu installed, %zu available (%zu excluded, %zu hidden by module filtering), filelists %s; "
		   "loaded in %.1f ms (rpmdb %.1f ms, metadata %.1f ms, in parallel), solved in %.1f ms",
		   st->n_installed, st->n_available, st->n_excluded, st->n_modular_hidden,
		   st->filelists_loaded ? "loaded" : "not needed", st->t_load * 1000, st->t_installed * 1000,
		   (st->t_repos + st->t_filelists) * 1000, st->t_solve * 1000);
}

static void produce_unsolvable(const struct solve_result *res, json_t *out)
{
	json_t *probs = json_object_get(out, "problems");
	for (size_t i = 0; i < res->n_problems; i++) {
		const struct solve_problem *pr = &res->problems[i];
		json_array_append_new(probs, json_pack("{s:s, s:o, s:o, s:o}", "summary", pr->summary, "rules",
						       plan_strv_json(pr->rules, pr->n_rules), "packages",
						       plan_strv_json(pr->packages, pr->n_packages), "solutions",
						       plan_strv_json(pr->solutions, pr->n_solutions)));
		actor_warning("unsolvable: %s", pr->summary);
	}
	json_object_set_new(out, "status", json_string("unsolvable"));
	actor_produce("PlannedTransaction", out);
}

/* /var/log/leapp/transaction.json: the items, kept packages and counts (a LogFile message: the broker
 * writes it, atomically, when the run commits) */
static void write_plan_file(struct planner *p, json_t *file_items, json_t *file_kept, json_t *counts)
{
	char ts[32];
	format_timestamp(now_realtime(), ts);
	json_t *file = json_pack("{s:o, s:o, s:O, s:s, s:s}", "transaction", file_items, "kept", file_kept, "counts",
				 counts, "rpmdb_fingerprint", p->fp, "planned_at", ts);
	_cleanup_free_ char *text = json_dumps(file, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(file);
	/* written by the broker when this run commits */
	actor_produce("LogFile", json_pack("{s:s, s:s+}", "name", "transaction.json", "content", text, "\n"));
}

static void produce_planned(struct planner *p, const struct solve_result *res, json_t *out)
{
	json_t *items = json_object_get(out, "items"), *kept = json_object_get(out, "kept");
	json_t *counts = json_object_get(out, "counts");
	json_t *file_items = json_array(), *file_kept = json_array();
	for (size_t i = 0; i < res->n_items; i++) {
		const struct solve_item *it = &res->items[i];
		bool keep = it->action == SOLVE_ACTION_KEEP;
		json_array_append_new(keep ? kept : items, item_json(it, true));
		json_array_append_new(keep ? file_kept : file_items, item_json(it, false));
	}
	for (int a = 0; a < _SOLVE_ACTION_MAX; a++)
		json_object_set_new(counts, solve_action_name((enum solve_action)a), json_integer((json_int_t)res->counts[a]));
	write_plan_file(p, file_items, file_kept, counts);
	json_object_set_new(out, "transaction_file", json_string("/var/log/leapp/transaction.json"));
	json_object_set_new(out, "status", json_string("planned"));
	actor_info("planned transaction: %zu to upgrade, %zu to install, %zu to remove, %zu obsoleted, %zu to "
		   "downgrade, %zu kept; written to /var/log/leapp/transaction.json",
		   res->counts[SOLVE_ACTION_UPGRADE], res->counts[SOLVE_ACTION_INSTALL], res->counts[SOLVE_ACTION_REMOVE],
		   res->counts[SOLVE_ACTION_OBSOLETE], res->counts[SOLVE_ACTION_DOWNGRADE], res->counts[SOLVE_ACTION_KEEP]);
	actor_produce("PlannedTransaction", out);
}

/* Solve with the tasks and produce the plan (or the problems that make it unsolvable). */
static void planner_solve(struct planner *p, json_t *out)
{
	struct tasks t = {0};
	planner_tasks(p, &t, out);
	struct solve_result res;
	_cleanup_free_ char *err = NULL;
	if (solve_run(p->s, t.v, t.n, &res, &err) < 0)
		actor_error("cannot plan the transaction", "%s", err);
	planner_log_stats(p, out);
	if (res.n_problems)
		produce_unsolvable(&res, out);
	else
		produce_planned(p, &res, out);
	solve_result_free(&res);
	free(t.v);
	strv_free_n(t.owned, t.n_owned);
}

/* The inputs; false (with a warning) when one the plan needs is missing. */
static bool planner_inputs(struct planner *p)
{
	p->pes = actor_consume_last("PESRpmTransactionTasks");
	p->trepos = actor_consume_last("TargetRepositories");
	json_t *map = actor_consume_last("RepositoriesMapping");
	if (!p->pes || !p->trepos || !map) {
		/* the actor that should have produced it reported why (an inhibitor or an error);
		 * a plan from partial data would be worse than none */
		actor_warning("not planning the transaction: no %s",
			      !p->pes ? "PESRpmTransactionTasks" : !p->trepos ? "TargetRepositories" : "RepositoriesMapping");
		json_decref(map);
		return false;
	}
	json_decref(map);
	p->third = actor_consume_last("ThirdPartyRPM");
	p->dnf = actor_consume_last("DNFConfig");
	p->mods = actor_consume_last("EnabledModules");
	return true;
}

static void planner_clear(struct planner *p)
{
	strv_free_n(p->errors, p->n_errors);
	strv_free_n(p->installonly, p->n_installonly);
	strv_free_n(p->active, p->n_active);
	if (p->s)
		solve_free(p->s);
	json_decref(p->used_repos);
	json_decref(p->stream_maps);
	json_decref(p->pes);
	json_decref(p->trepos);
	json_decref(p->third);
	json_decref(p->dnf);
	json_decref(p->mods);
	json_decref(p->ipu);
	free(p->fp);
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	struct planner p = {.t_start = now_monotonic()};
	p.ipu = ipu_config_get();
	if (!p.ipu)
		actor_error("no workflow configuration (IPUConfig)", "ipu_workflow_config did not decide the upgrade path");
	/* a plan of an earlier run must not outlive this one: the broker removes it now (actors do not
	 * write the log directory; a LogFile message asks the broker to) */
	actor_produce("LogFile", json_pack("{s:s, s:n}", "name", "transaction.json", "content"));
	if (!planner_inputs(&p)) {
		planner_clear(&p);
		return actor_finish();
	}
	const char *arch = ipu_str(p.ipu, "architecture") ? ipu_str(p.ipu, "architecture") : "x86_64";
	p.s = solve_new(arch);
	/* the rpmdb copy goes to disk, not to the sandbox's small /tmp */
	solve_set_workdir(actor_scratch_dir());
	planner_load(&p);
	planner_dnf_config(&p);
	planner_modules(&p);
	json_t *out = planner_out_new(&p);
	if (p.n_errors) {
		report_repo_errors(p.errors, p.n_errors);
		for (size_t i = 0; i < p.n_errors; i++)
			actor_warning("%s", p.errors[i]);
		json_object_set_new(out, "status", json_string("failed"));
		json_object_set_new(out, "errors", plan_strv_json(p.errors, p.n_errors));
		json_object_set_new(out, "tasks", json_array());
		actor_produce("PlannedTransaction", out);
	} else
		planner_solve(&p, out);
	planner_clear(&p);
	return actor_finish();
}

/* TargetTransactionFactsCollection: the target repositories. Every enabled repository of
 * leapp_upgrade_repositories.repo, the ones the repository map (and PES) need even when
 * disabled there, and --enablerepo; plus the enabled source repositories that have no target. */
#include "sys.h"
#include "fetch.h"
#include "plan.h"
#include "leapp/actor.h"

struct expected {
	char *repoid, *pesid;
	char **from;
	size_t n_from;
};

static struct expected *exp_get(struct expected **v, size_t *n, const char *repoid, const char *pesid)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*v)[i].repoid, repoid))
			return &(*v)[i];
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[*n] = (struct expected){.repoid = xstrdup(repoid), .pesid = xstrdup(pesid)};
	return &(*v)[(*n)++];
}

static void push_unique(char ***v, size_t *n, const char *s)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*v)[i], s))
			return;
	*v = xrealloc(*v, (*n + 1) * sizeof(char *));
	(*v)[(*n)++] = xstrdup(s);
}

static json_t *repo_json(const struct repo_entry *e, const char *origin, const char *file, const struct expected *x)
{
	json_t *j = repo_entry_to_json(e);
	/* RepositoryData and TargetRepository share most fields; drop the ones TargetRepository lacks */
	json_object_del(j, "enabled");
	json_object_del(j, "line");
	json_object_set_new(j, "origin", json_string(origin));
	json_object_set_new(j, "file", json_string(file));
	json_object_set_new(j, "pesid", x ? json_string(x->pesid) : json_null());
	json_object_set_new(j, "mapped_from", x ? plan_strv_json(x->from, x->n_from) : json_array());
	json_object_set_new(j, "priority", json_integer(99));
	return j;
}

static void log_line(const char *line, void *userdata)
{
	actor_info("%s", line);
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *ipu = ipu_config_get();
	if (!ipu)
		actor_error("no workflow configuration (IPUConfig)", "ipu_workflow_config did not decide the upgrade path");
	_cleanup_free_ char *src = xasprintf("%d", ipu_source_major(ipu)), *dst = xasprintf("%d", ipu_target_major(ipu));
	const char *arch = ipu_str(ipu, "architecture") ? ipu_str(ipu, "architecture") : "x86_64";
	const char *tver = ipu_str(ipu, "target_version") ? ipu_str(ipu, "target_version") : dst;
	json_t *mapmsg = actor_consume_last("RepositoriesMapping");
	json_t *facts = actor_consume_last("RepositoriesFacts");
	json_t *pes = actor_consume_last("PESRpmTransactionTasks");
	struct repomap map;
	repomap_init(&map);
	if (mapmsg)
		repomap_from_json(&map, mapmsg, NULL);

	struct expected *exp = NULL;
	size_t n_exp = 0;
	json_t *unmapped = json_array();
	char **missing = NULL, **errors = NULL;
	size_t n_missing = 0, n_errors = 0;
	size_t i, k;
	json_t *f, *r;
	/* what the enabled source repositories map to */
	json_array_foreach(json_object_get(facts, "repositories"), i, f)
		json_array_foreach(json_object_get(f, "data"), k, r) {
			if (!json_is_true(json_object_get(r, "enabled")))
				continue;
			const char *id = json_string_value(json_object_get(r, "repoid"));
			const char *file = json_string_value(json_object_get(f, "file"));
			if (!mapmsg)
				continue;
			const struct repomap_repo *e = repomap_find_repoid(&map, id, src);
			const struct repomap_entry *me = e ? repomap_find_entry(&map, e->pesid) : NULL;
			if (!e || !me || !me->n_targets) {
				_cleanup_free_ char *why =
					!e ? xasprintf("the repository map (%s) does not list it for release %s", map.n_files ? map.files[0] : "repomap.json", src)
					   : xasprintf("the repository map has no target for its pesid %s", e->pesid);
				json_array_append_new(unmapped, json_pack("{s:s, s:s?, s:s?, s:[], s:s}", "repoid", id, "pesid",
									  e ? e->pesid : NULL, "file", file, "packages",
									  "why", why));
				continue;
			}
			for (size_t t = 0; t < me->n_targets; t++) {
				const struct repomap_repo *tr = repomap_find_target(&map, me->targets[t], dst, e->channel, e->rhui);
				if (!tr) {
					_cleanup_free_ char *m = xasprintf("%s (pesid %s, the target of %s): no repository for "
									   "release %s on %s in the repository map",
									   me->targets[t], me->targets[t], id, dst, arch);
					push_unique(&missing, &n_missing, m);
					continue;
				}
				struct expected *x = exp_get(&exp, &n_exp, tr->repoid, tr->pesid);
				push_unique(&x->from, &x->n_from, id);
			}
		}
	/* the repositories the PES events take packages from */
	json_array_foreach(json_object_get(pes, "target_pesids"), i, r) {
		const char *pesid = json_string_value(r);
		if (!pesid || !mapmsg)
			continue;
		const struct repomap_repo *tr = repomap_find_target(&map, pesid, dst, "ga", "");
		if (!tr) {
			_cleanup_free_ char *m = xasprintf("%s (pesid of PES events): no repository for release %s on %s in "
							   "the repository map", pesid, dst, arch);
			push_unique(&missing, &n_missing, m);
			continue;
		}
		struct expected *x = exp_get(&exp, &n_exp, tr->repoid, tr->pesid);
		push_unique(&x->from, &x->n_from, "PES");
	}

	/* the repositories on offer */
	size_t n_en = 0;
	char **en = plan_enablerepos(&n_en);
	struct repo_vars vars;
	repo_vars_init(&vars, actor_root(), tver, arch);
	/* /etc/dnf/vars apply (as dnf applies them), but a releasever pinned there is the source's
	 * (check_etc_releasever): the target repositories are those of the target release */
	if (tver) {
		_cleanup_free_ char *major = xstrndup(tver, strcspn(tver, "."));
		repo_vars_set(&vars, "releasever", tver);
		repo_vars_set(&vars, "releasever_major", major);
	}
	_cleanup_free_ char *shown = NULL, *path = datafile_path("leapp_upgrade_repositories.repo", &shown);
	struct repo_file *rf = NULL;
	_cleanup_free_ char *err = NULL;
	if (path && repofile_parse(path, shown, &vars, true, &rf, &err) < 0) {
		_cleanup_free_ char *summary = xasprintf("The file that defines the target repositories cannot be read: %s.", err);
		json_t *e = report_new("Invalid target repository file", summary, "high");
		report_add_group(e, "inhibitor");
		report_add_group(e, "repository");
		report_add_hint(e, "Fix the line named, or reinstall the leapp data package that ships the file.");
		report_add_resource(e, "file", shown);
		actor_report(e);
		goto out;
	}
	json_t *repos = json_array();
	bool *used_en = xcalloc(n_en + 1, sizeof(bool));
	for (i = 0; rf && i < rf->n; i++) {
		const struct repo_entry *e = &rf->repos[i];
		const struct expected *x = NULL;
		for (k = 0; k < n_exp; k++)
			if (!strcmp(exp[k].repoid, e->id))
				x = &exp[k];
		bool asked = false;
		for (k = 0; k < n_en; k++)
			if (!strcmp(en[k], e->id))
				asked = used_en[k] = true;
		if (!e->enabled && !x && !asked)
			continue;
		json_array_append_new(repos, repo_json(e, !e->enabled && asked && !x ? "enablerepo" : "upgrade_repos", shown, x));
	}
	/* --enablerepo naming a repository of the source system's repo files */
	for (k = 0; k < n_en; k++) {
		if (used_en[k])
			continue;
		json_t *found = NULL;
		const char *ffile = NULL;
		json_array_foreach(json_object_get(facts, "repositories"), i, f) {
			size_t j;
			json_array_foreach(json_object_get(f, "data"), j, r)
				if (!found && !strcmp(json_string_value(json_object_get(r, "repoid")) ?: "", en[k])) {
					found = r;
					ffile = json_string_value(json_object_get(f, "file"));
				}
		}
		if (!found) {
			char *m = xasprintf("--enablerepo %s: no repository with this id in %s or /etc/yum.repos.d", en[k],
					    shown ? shown : "/etc/leapp/files/leapp_upgrade_repositories.repo");
			errors = xrealloc(errors, (n_errors + 1) * sizeof(char *));
			errors[n_errors++] = m;
			continue;
		}
		json_t *j = json_deep_copy(found);
		json_object_del(j, "enabled");
		json_object_del(j, "line");
		json_object_set_new(j, "origin", json_string("enablerepo"));
		json_object_set_new(j, "file", json_string(ffile));
		json_object_set_new(j, "pesid", json_null());
		json_object_set_new(j, "mapped_from", json_array());
		json_object_set_new(j, "priority", json_integer(99));
		json_array_append_new(repos, j);
	}
	for (k = 0; k < n_exp; k++) {
		bool have = false;
		json_array_foreach(repos, i, r)
			have |= !strcmp(json_string_value(json_object_get(r, "repoid")), exp[k].repoid);
		if (!have) {
			struct buf b = {0};
			for (size_t t = 0; t < exp[k].n_from; t++)
				buf_printf(&b, "%s%s", t ? ", " : "", exp[k].from[t]);
			_cleanup_free_ char *from = buf_steal(&b);
			_cleanup_free_ char *m = xasprintf("%s (pesid %s, the target of %s): not defined in %s", exp[k].repoid,
							   exp[k].pesid, from, shown ? shown : "leapp_upgrade_repositories.repo");
			push_unique(&missing, &n_missing, m);
		}
	}
	if (!json_array_size(repos) && !n_errors) {
		char *m = xasprintf("no target repositories: %s", path ? "leapp_upgrade_repositories.repo enables none"
								      : "/etc/leapp/files/leapp_upgrade_repositories.repo is missing "
									"and no --enablerepo was given");
		errors = xrealloc(errors, (n_errors + 1) * sizeof(char *));
		errors[n_errors++] = m;
	}
	/* where libsolv reads each repository's metadata: the baseurl itself when it is local, else a
	 * copy fetched now into /var/lib/leapp/repo-metadata (http(s), mirrorlists) */
	char *mdcache = actor_path("/var/lib/leapp/repo-metadata");
	struct dl_opts dlo = {.cache_dir = mdcache, .parallel = 4, .retries = 2, .backoff = 1, .timeout = 30,
			      .log = log_line};
	json_array_foreach(repos, i, r) {
		const char *local = repomd_local_dir(json_string_value(json_array_get(json_object_get(r, "baseurl"), 0)));
		if (local) {
			json_object_set_new(r, "metadata_path", json_string(local));
			continue;
		}
		const char *id = json_string_value(json_object_get(r, "repoid"));
		char *ferr = NULL, *dir = NULL, *served = NULL;
		int q = repomd_fetch_repo(&dlo, r, &dir, &served, &ferr);
		if (q == 0) {
			const char *mt = json_string_value(json_object_get(r, "metalink"));
			actor_info("repository %s: metadata fetched from %s into %s%s%s%s", id, served, dir,
				   mt ? " (repomd.xml verified against the metalink " : "", mt ? mt : "", mt ? ")" : "");
			json_object_set_new(r, "metadata_url", json_string(served));
			json_object_set_new(r, "metadata_path", json_string(dir));
		} else {
			errors = xrealloc(errors, (n_errors + 1) * sizeof(char *));
			errors[n_errors++] = ferr ? ferr : xasprintf("repository %s: cannot fetch its metadata", id);
			ferr = NULL;
		}
		free(ferr);
		free(dir);
		free(served);
	}
	free(mdcache);
	actor_info("target repositories: %zu (%zu expected by the mapping), %zu source repositories without a target, "
		   "%zu missing", json_array_size(repos), n_exp, json_array_size(unmapped), n_missing);
	for (i = 0; i < n_errors; i++)
		actor_warning("%s", errors[i]);
	actor_produce("TargetRepositories", json_pack("{s:o, s:O, s:o, s:o}", "repos", repos, "unmapped", unmapped, "missing",
						      plan_strv_json(missing, n_missing), "errors",
						      plan_strv_json(errors, n_errors)));
	free(used_en);
out:
	repofile_free(rf);
	repo_vars_clear(&vars);
	strv_free_n(en, n_en);
	strv_free_n(missing, n_missing);
	strv_free_n(errors, n_errors);
	for (k = 0; k < n_exp; k++) {
		free(exp[k].repoid);
		free(exp[k].pesid);
		strv_free_n(exp[k].from, exp[k].n_from);
	}
	free(exp);
	json_decref(unmapped);
	repomap_free(&map);
	json_decref(ipu);
	json_decref(mapmsg);
	json_decref(facts);
	json_decref(pes);
	return actor_finish();
}

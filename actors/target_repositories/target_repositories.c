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
	json_t *j = repofile_entry_to_json(e);
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

/* What the steps share. */
struct targets {
	char *src, *dst;          /* the source and target majors */
	const char *arch, *tver;
	json_t *mapmsg, *facts, *pes;
	struct repomap map;
	struct expected *exp;     /* the target repositories the mapping and PES need */
	size_t n_exp;
	json_t *unmapped;         /* enabled source repositories without a target */
	char **missing, **errors;
	size_t n_missing, n_errors;
	char **en;                /* --enablerepo */
	size_t n_en;
	bool *used_en;
	char *shown, *path;       /* leapp_upgrade_repositories.repo */
	struct repo_file *rf;
	json_t *repos;            /* TargetRepository entries */
};

static void errors_push(struct targets *c, char *m)
{
	c->errors = xrealloc(c->errors, (c->n_errors + 1) * sizeof(char *));
	c->errors[c->n_errors++] = m;
}

/* what one enabled source repository maps to */
static void expect_for_repo(struct targets *c, const char *id, const char *file)
{
	const struct repomap_repo *e = repomap_find_repoid(&c->map, id, c->src);
	const struct repomap_entry *me = e ? repomap_find_entry(&c->map, e->pesid) : NULL;
	if (!e || !me || !me->n_targets) {
		_cleanup_free_ char *why =
			!e ? xasprintf("the repository map (%s) does not list it for release %s",
				       c->map.n_files ? c->map.files[0] : "repomap.json", c->src)
			   : xasprintf("the repository map has no target for its pesid %s", e->pesid);
		json_array_append_new(c->unmapped, json_pack("{s:s, s:s?, s:s?, s:[], s:s}", "repoid", id, "pesid",
							     e ? e->pesid : NULL, "file", file, "packages", "why", why));
		return;
	}
	for (size_t t = 0; t < me->n_targets; t++) {
		const struct repomap_repo *tr = repomap_find_target(&c->map, me->targets[t], c->dst, e->channel, e->rhui);
		if (!tr) {
			_cleanup_free_ char *m = xasprintf("%s (pesid %s, the target of %s): no repository for "
							   "release %s on %s in the repository map",
							   me->targets[t], me->targets[t], id, c->dst, c->arch);
			push_unique(&c->missing, &c->n_missing, m);
			continue;
		}
		struct expected *x = exp_get(&c->exp, &c->n_exp, tr->repoid, tr->pesid);
		push_unique(&x->from, &x->n_from, id);
	}
}

/* what the enabled source repositories map to, and the repositories the PES events take packages from */
static void expect_targets(struct targets *c)
{
	size_t i, k;
	json_t *f, *r;
	json_array_foreach(json_object_get(c->facts, "repositories"), i, f)
		json_array_foreach(json_object_get(f, "data"), k, r) {
			if (!json_is_true(json_object_get(r, "enabled")))
				continue;
			const char *id = json_string_value(json_object_get(r, "repoid"));
			const char *file = json_string_value(json_object_get(f, "file"));
			if (!c->mapmsg)
				continue;
			expect_for_repo(c, id, file);
		}
	json_array_foreach(json_object_get(c->pes, "target_pesids"), i, r) {
		const char *pesid = json_string_value(r);
		if (!pesid || !c->mapmsg)
			continue;
		const struct repomap_repo *tr = repomap_find_target(&c->map, pesid, c->dst, "ga", "");
		if (!tr) {
			_cleanup_free_ char *m = xasprintf("%s (pesid of PES events): no repository for release %s on %s in "
							   "the repository map", pesid, c->dst, c->arch);
			push_unique(&c->missing, &c->n_missing, m);
			continue;
		}
		struct expected *x = exp_get(&c->exp, &c->n_exp, tr->repoid, tr->pesid);
		push_unique(&x->from, &x->n_from, "PES");
	}
}

/* the repositories on offer in leapp_upgrade_repositories.repo: enabled, needed, or asked for */
static void offer_upgrade_repos(struct targets *c)
{
	size_t i, k;
	for (i = 0; c->rf && i < c->rf->n; i++) {
		const struct repo_entry *e = &c->rf->repos[i];
		const struct expected *x = NULL;
		for (k = 0; k < c->n_exp; k++)
			if (!strcmp(c->exp[k].repoid, e->id))
				x = &c->exp[k];
		bool asked = false;
		for (k = 0; k < c->n_en; k++)
			if (!strcmp(c->en[k], e->id))
				asked = c->used_en[k] = true;
		if (!e->enabled && !x && !asked)
			continue;
		json_array_append_new(c->repos,
				      repo_json(e, !e->enabled && asked && !x ? "enablerepo" : "upgrade_repos", c->shown, x));
	}
}

/* --enablerepo naming a repository of the source system's repo files */
static void offer_enablerepo(struct targets *c)
{
	size_t i, k;
	json_t *f, *r;
	for (k = 0; k < c->n_en; k++) {
		if (c->used_en[k])
			continue;
		json_t *found = NULL;
		const char *ffile = NULL;
		json_array_foreach(json_object_get(c->facts, "repositories"), i, f) {
			size_t j;
			json_array_foreach(json_object_get(f, "data"), j, r)
				if (!found && !strcmp(json_string_value(json_object_get(r, "repoid")) ?: "", c->en[k])) {
					found = r;
					ffile = json_string_value(json_object_get(f, "file"));
				}
		}
		if (!found) {
			errors_push(c, xasprintf("--enablerepo %s: no repository with this id in %s or /etc/yum.repos.d", c->en[k],
						 c->shown ? c->shown : "/etc/leapp/files/leapp_upgrade_repositories.repo"));
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
		json_array_append_new(c->repos, j);
	}
}

/* the expected repositories the repo file does not define; no repositories at all */
static void check_offer(struct targets *c)
{
	size_t i;
	json_t *r;
	for (size_t k = 0; k < c->n_exp; k++) {
		bool have = false;
		json_array_foreach(c->repos, i, r)
			have |= !strcmp(json_string_value(json_object_get(r, "repoid")), c->exp[k].repoid);
		if (!have) {
			struct buf b = {0};
			for (size_t t = 0; t < c->exp[k].n_from; t++)
				buf_printf(&b, "%s%s", t ? ", " : "", c->exp[k].from[t]);
			_cleanup_free_ char *from = buf_steal(&b);
			_cleanup_free_ char *m = xasprintf("%s (pesid %s, the target of %s): not defined in %s", c->exp[k].repoid,
							   c->exp[k].pesid, from,
							   c->shown ? c->shown : "leapp_upgrade_repositories.repo");
			push_unique(&c->missing, &c->n_missing, m);
		}
	}
	if (!json_array_size(c->repos) && !c->n_errors)
		errors_push(c, xasprintf("no target repositories: %s",
					 c->path ? "leapp_upgrade_repositories.repo enables none"
						 : "/etc/leapp/files/leapp_upgrade_repositories.repo is missing "
						   "and no --enablerepo was given"));
}

static void log_line(const char *line, void *userdata)
{
	actor_info("%s", line);
}

/* where libsolv reads each repository's metadata: the baseurl itself when it is local, else a
 * copy fetched now into /var/lib/leapp/repo-metadata (http(s), mirrorlists, metalinks) */
static void fetch_metadata(struct targets *c)
{
	_cleanup_free_ char *mdcache = actor_path("/var/lib/leapp/repo-metadata");
	struct dl_opts dlo = {.cache_dir = mdcache, .parallel = 4, .retries = 2, .backoff = 1, .timeout = 30,
			      .log = log_line};
	size_t i;
	json_t *r;
	json_array_foreach(c->repos, i, r) {
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
			errors_push(c, ferr ? ferr : xasprintf("repository %s: cannot fetch its metadata", id));
			ferr = NULL;
		}
		free(ferr);
		free(dir);
		free(served);
	}
}

/* leapp_upgrade_repositories.repo read (false: it is invalid, reported as an inhibitor) */
static bool read_repo_file(struct targets *c, struct repo_vars *vars)
{
	c->path = datafile_path("leapp_upgrade_repositories.repo", &c->shown);
	_cleanup_free_ char *err = NULL;
	if (!c->path || repofile_parse(c->path, c->shown, vars, true, &c->rf, &err) >= 0)
		return true;
	_cleanup_free_ char *summary = xasprintf("The file that defines the target repositories cannot be read: %s.", err);
	json_t *e = report_new("Invalid target repository file", summary, "high");
	report_add_group(e, "inhibitor");
	report_add_group(e, "repository");
	report_add_hint(e, "Fix the line named, or reinstall the leapp data package that ships the file.");
	report_add_resource(e, "file", c->shown);
	actor_report(e);
	return false;
}

static void targets_clear(struct targets *c)
{
	repofile_free(c->rf);
	strv_free_n(c->en, c->n_en);
	strv_free_n(c->missing, c->n_missing);
	strv_free_n(c->errors, c->n_errors);
	for (size_t k = 0; k < c->n_exp; k++) {
		free(c->exp[k].repoid);
		free(c->exp[k].pesid);
		strv_free_n(c->exp[k].from, c->exp[k].n_from);
	}
	free(c->exp);
	free(c->used_en);
	json_decref(c->unmapped);
	repomap_free(&c->map);
	json_decref(c->mapmsg);
	json_decref(c->facts);
	json_decref(c->pes);
	free(c->src);
	free(c->dst);
	free(c->shown);
	free(c->path);
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *ipu = ipu_config_get();
	if (!ipu)
		actor_error("no workflow configuration (IPUConfig)", "ipu_workflow_config did not decide the upgrade path");
	struct targets c = {0};
	c.src = xasprintf("%d", ipu_source_major(ipu));
	c.dst = xasprintf("%d", ipu_target_major(ipu));
	c.arch = ipu_str(ipu, "architecture") ? ipu_str(ipu, "architecture") : "x86_64";
	c.tver = ipu_str(ipu, "target_version") ? ipu_str(ipu, "target_version") : c.dst;
	c.mapmsg = actor_consume_last("RepositoriesMapping");
	c.facts = actor_consume_last("RepositoriesFacts");
	c.pes = actor_consume_last("PESRpmTransactionTasks");
	repomap_init(&c.map);
	if (c.mapmsg)
		repomap_from_json(&c.map, c.mapmsg, NULL);
	c.unmapped = json_array();
	expect_targets(&c);

	/* the repositories on offer */
	c.en = plan_enablerepos(&c.n_en);
	struct repo_vars vars;
	repofile_vars_init(&vars, actor_root(), c.tver, c.arch);
	/* /etc/dnf/vars apply (as dnf applies them), but a releasever pinned there is the source's
	 * (check_etc_releasever): the target repositories are those of the target release */
	if (c.tver) {
		_cleanup_free_ char *major = xstrndup(c.tver, strcspn(c.tver, "."));
		repofile_vars_set(&vars, "releasever", c.tver);
		repofile_vars_set(&vars, "releasever_major", major);
	}
	if (read_repo_file(&c, &vars)) {
		c.repos = json_array();
		c.used_en = xcalloc(c.n_en + 1, sizeof(bool));
		offer_upgrade_repos(&c);
		offer_enablerepo(&c);
		check_offer(&c);
		fetch_metadata(&c);
		actor_info("target repositories: %zu (%zu expected by the mapping), %zu source repositories without a "
			   "target, %zu missing",
			   json_array_size(c.repos), c.n_exp, json_array_size(c.unmapped), c.n_missing);
		for (size_t i = 0; i < c.n_errors; i++)
			actor_warning("%s", c.errors[i]);
		actor_produce("TargetRepositories",
			      json_pack("{s:o, s:O, s:o, s:o}", "repos", c.repos, "unmapped", c.unmapped, "missing",
					plan_strv_json(c.missing, c.n_missing), "errors", plan_strv_json(c.errors, c.n_errors)));
	}
	repofile_vars_clear(&vars);
	targets_clear(&c);
	json_decref(ipu);
	return actor_finish();
}

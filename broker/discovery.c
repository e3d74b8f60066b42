/* Actor discovery: the project's actors and custom repos.d actors, checked against models. */
#include <dirent.h>
#include <sys/stat.h>

#include "broker.h"

static int cmp_manifest(const void *a, const void *b)
{
	return strcmp((*(struct manifest *const *)a)->name, (*(struct manifest *const *)b)->name);
}

void actor_set_clear(struct actor_set *s)
{
	for (size_t i = 0; i < s->n; i++)
		manifest_free(s->v[i]);
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

struct manifest *actor_set_find(const struct actor_set *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->v[i]->name, name))
			return s->v[i];
	return NULL;
}

static int add_manifest(struct actor_set *s, const char *path, char **ret_err)
{
	struct manifest *m = NULL;
	int r = manifest_load(path, &m, ret_err);
	if (r < 0)
		return r;
	struct manifest *prev = actor_set_find(s, m->name);
	if (prev) {
		*ret_err = xasprintf("duplicate actor name '%s': %s and %s", m->name, prev->file, m->file);
		manifest_free(m);
		return -EEXIST;
	}
	s->v = xrealloc(s->v, (s->n + 1) * sizeof(*s->v));
	s->v[s->n++] = m;
	return 0;
}

/* Sorted subdirectory names of dir. */
static char **list_dirs(const char *dir, size_t *ret_n)
{
	DIR *d = opendir(dir);
	*ret_n = 0;
	if (!d)
		return NULL;
	char **v = NULL;
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		_cleanup_free_ char *p = path_join(dir, de->d_name);
		struct stat st;
		if (stat(p, &st) < 0 || !S_ISDIR(st.st_mode))
			continue;
		v = xrealloc(v, (n + 1) * sizeof(char *));
		v[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (n)
		qsort(v, n, sizeof(char *), str_cmp_qsort);
	*ret_n = n;
	return v;
}

static int load_actor_dir(struct actor_set *s, const char *dir, char **ret_err)
{
	size_t n;
	char **names = list_dirs(dir, &n);
	int r = 0;
	for (size_t i = 0; i < n; i++) {
		_cleanup_free_ char *sub = path_join(dir, names[i]);
		_cleanup_free_ char *yaml = path_join(sub, "actor.yaml");
		if (r == 0 && access(yaml, F_OK) == 0)
			r = add_manifest(s, yaml, ret_err);
		free(names[i]);
	}
	free(names);
	return r;
}

int actor_set_load(struct actor_set *s, struct leapp_ctx *c, char **ret_err)
{
	int r;
	const char *env = getenv("LEAPP_ACTORS_DIR");
	if (env && *env) {
		/* colon-separated list replacing the project's own actors (tests, development) */
		_cleanup_free_ char *copy = xstrdup(env);
		char *save = NULL;
		for (char *d = strtok_r(copy, ":", &save); d; d = strtok_r(NULL, ":", &save))
			if ((r = load_actor_dir(s, d, ret_err)) < 0)
				return r;
	} else {
		/* the build tree keeps them in share/leapp/actors; an installed tree in libexec/leapp/actors */
		_cleanup_free_ char *own = path_join(c->datadir, "actors");
		if (access(own, F_OK) < 0) {
			free(own);
			own = path_join(c->argv0_dir, "../libexec/leapp/actors");
		}
		if ((r = load_actor_dir(s, own, ret_err)) < 0)
			return r;
	}
	/* custom actor repositories: /etc/leapp/repos.d/<repo>/actors/<name>/actor.yaml */
	_cleanup_free_ char *reposd = path_join(c->etcdir, "repos.d");
	size_t n;
	char **repos = list_dirs(reposd, &n);
	r = 0;
	for (size_t i = 0; i < n; i++) {
		_cleanup_free_ char *rd = path_join(reposd, repos[i]);
		_cleanup_free_ char *ad = path_join(rd, "actors");
		if (r == 0)
			r = load_actor_dir(s, ad, ret_err);
		free(repos[i]);
	}
	free(repos);
	if (r < 0)
		return r;
	if (s->n)
		qsort(s->v, s->n, sizeof(*s->v), cmp_manifest);
	return 0;
}

/* Find a consumes/produces cycle among the actors of one phase and stage. */
static int check_cycles(struct manifest **v, size_t n, const char *phase, enum stage stage, char **ret_err)
{
	if (n < 2)
		return 0;
	/* edge i -> j when j consumes something i produces */
	bool *edge = xcalloc(n * n, sizeof(bool));
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++) {
			if (i == j)
				continue;
			for (size_t k = 0; k < v[i]->n_produces && !edge[i * n + j]; k++)
				edge[i * n + j] = manifest_consumes(v[j], v[i]->produces[k]);
		}
	/* Kahn: whatever is left has a cycle */
	int *indeg = xcalloc(n, sizeof(int));
	bool *gone = xcalloc(n, sizeof(bool));
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++)
			indeg[j] += edge[i * n + j];
	bool progress = true;
	while (progress) {
		progress = false;
		for (size_t i = 0; i < n; i++)
			if (!gone[i] && indeg[i] == 0) {
				gone[i] = true;
				progress = true;
				for (size_t j = 0; j < n; j++)
					indeg[j] -= edge[i * n + j];
			}
	}
	int r = 0;
	for (size_t i = 0; i < n && r == 0; i++) {
		if (gone[i])
			continue;
		/* walk edges among the remaining nodes until a node repeats: that is the cycle */
		size_t *path = xcalloc(n + 1, sizeof(size_t));
		size_t len = 0, cur = i;
		int *seen = xcalloc(n, sizeof(int));
		for (;;) {
			if (seen[cur])
				break;
			seen[cur] = (int)++len;
			path[len - 1] = cur;
			size_t next = n;
			for (size_t j = 0; j < n && next == n; j++)
				if (!gone[j] && edge[cur * n + j])
					next = j;
			cur = next;
		}
		struct buf b = {0};
		for (size_t k = (size_t)seen[cur] - 1; k < len; k++)
			buf_printf(&b, "%s -> ", v[path[k]]->name);
		buf_printf(&b, "%s", v[cur]->name);
		*ret_err = xasprintf("consumes/produces cycle in phase %s, stage %s: %s", phase, stage_name(stage), b.data);
		buf_free(&b);
		free(path);
		free(seen);
		r = -ELOOP;
	}
	free(edge);
	free(indeg);
	free(gone);
	return r;
}

int actor_set_check(struct actor_set *s, struct leapp_ctx *c, char **ret_err)
{
	for (size_t i = 0; i < s->n; i++) {
		struct manifest *m = s->v[i];
		int r = manifest_check_models(m, c->models, ret_err);
		if (r < 0)
			return r;
		const struct phase_def *ph = workflow_phase(&c->wf, m->phase);
		if (!ph) {
			*ret_err = xasprintf("%s: actor '%s' names unknown phase '%s'", m->file, m->name, m->phase);
			return -ENOENT;
		}
		/* writing disks is a change of the system: not in the read-only phases */
		if (m->sandbox.devices == SANDBOX_DEVICES_RW && ph->profile == PROFILE_SOURCE) {
			*ret_err = xasprintf("%s:%d: actor '%s' declares sandbox devices: rw, but phase %s is read-only "
					     "(devices: rw is allowed from InterimPreparation on; declare devices: ro to read disks)",
					     m->file, m->sandbox.line_devices, m->name, m->phase);
			return -EPERM;
		}
		if (access(m->exec, X_OK) < 0) {
			*ret_err = xasprintf("%s: executable %s of actor '%s': %s", m->file, m->exec, m->name, strerror(errno));
			return -ENOENT;
		}
	}
	for (size_t p = 0; p < c->wf.n; p++)
		for (int st = STAGE_BEFORE; st <= STAGE_AFTER; st++) {
			struct manifest **sel = xcalloc(s->n + 1, sizeof(*sel));
			size_t n = 0;
			for (size_t i = 0; i < s->n; i++)
				if (!strcmp(s->v[i]->phase, c->wf.phases[p].name) && s->v[i]->stage == (enum stage)st)
					sel[n++] = s->v[i];
			int r = check_cycles(sel, n, c->wf.phases[p].name, (enum stage)st, ret_err);
			free(sel);
			if (r < 0)
				return r;
		}
	return 0;
}

bool actor_enabled(const struct leapp_ctx *c, const struct manifest *m, const char **why)
{
	if (m->feature) {
		bool on = false;
		for (size_t i = 0; i < c->opt.n_features && !on; i++)
			on = !strcmp(c->opt.features[i], m->feature);
		if (!on) {
			*why = "its experimental feature is not enabled";
			return false;
		}
	} else if (m->experimental) {
		bool on = false;
		for (size_t i = 0; i < c->opt.n_whitelist && !on; i++)
			on = !strcmp(c->opt.whitelist[i], m->name);
		if (!on) {
			*why = "it is experimental and not whitelisted";
			return false;
		}
	}
	for (size_t i = 0; i < m->n_requires_env; i++) {
		const char *v = getenv(m->requires_env[i]);
		if (!v || !*v || !strcmp(v, "0")) {
			*why = "a required environment variable is not set";
			return false;
		}
	}
	return true;
}

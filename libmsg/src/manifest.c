/* Actor manifests: parse actor.yaml into struct manifest, with file:line errors. */
#include "leapp/manifest.h"

#include <limits.h>
#include <sys/stat.h>

#include "leapp/util.h"

static const char *const stage_names[] = {"before", "main", "after"};

const char *stage_name(enum stage s)
{
	return (size_t)s < ELEMENTSOF(stage_names) ? stage_names[s] : "?";
}

void manifest_free(struct manifest *m)
{
	if (!m)
		return;
	free(m->dir);
	free(m->file);
	free(m->name);
	free(m->description);
	free(m->phase);
	for (size_t i = 0; i < m->n_consumes; i++)
		free(m->consumes[i]);
	free(m->consumes);
	for (size_t i = 0; i < m->n_produces; i++)
		free(m->produces[i]);
	free(m->produces);
	for (size_t i = 0; i < m->n_tags; i++)
		free(m->tags[i]);
	free(m->tags);
	for (size_t i = 0; i < m->n_requires_env; i++)
		free(m->requires_env[i]);
	free(m->requires_env);
	free(m->exec);
	free(m->feature);
	free(m->config_section);
	fields_free(m->config_fields, m->n_config_fields);
	for (size_t i = 0; i < m->sandbox.n_writes; i++)
		free(m->sandbox.writes[i]);
	free(m->sandbox.writes);
	free(m);
}

static int err_at(char **ret_err, const char *file, int line, const char *fmt, ...) _printf_(4, 5);
static int err_at(char **ret_err, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	_cleanup_free_ char *m = xvasprintf(fmt, ap);
	va_end(ap);
	*ret_err = xasprintf("%s:%d: %s", file, line, m);
	return -EINVAL;
}

static int get_str(const struct ynode *root, const char *key, const char *file, char **ret, bool required, char **ret_err)
{
	const struct ynode *n = ynode_get(root, key);
	if (!n) {
		if (required)
			return err_at(ret_err, file, root->line, "key '%s' is required", key);
		return 0;
	}
	if (n->kind != YNODE_SCALAR || ynode_is_null(n))
		return err_at(ret_err, file, n->line, "key '%s' must be a string", key);
	*ret = xstrdup(n->scalar);
	return 0;
}

static int get_bool(const struct ynode *root, const char *key, const char *file, bool *ret, char **ret_err)
{
	const struct ynode *n = ynode_get(root, key);
	if (!n)
		return 0;
	if (ynode_bool(n, ret) < 0)
		return err_at(ret_err, file, n->line, "key '%s' must be true or false", key);
	return 0;
}

static int get_strlist(const struct ynode *root, const char *key, const char *file, char ***ret, size_t *ret_n,
		       char **ret_err)
{
	const struct ynode *n = ynode_get(root, key);
	if (!n || ynode_is_null(n))
		return 0;
	if (n->kind != YNODE_SEQ)
		return err_at(ret_err, file, n->line, "key '%s' must be a list of strings", key);
	char **v = xcalloc(n->n + 1, sizeof(char *));
	for (size_t i = 0; i < n->n; i++) {
		if (n->items[i]->kind != YNODE_SCALAR) {
			for (size_t k = 0; k < i; k++)
				free(v[k]);
			free(v);
			return err_at(ret_err, file, n->items[i]->line, "key '%s' must be a list of strings", key);
		}
		v[i] = xstrdup(n->items[i]->scalar);
	}
	*ret = v;
	*ret_n = n->n;
	return 0;
}

static int get_number(const struct ynode *root, const char *key, const char *file, double *ret, char **ret_err)
{
	const struct ynode *n = ynode_get(root, key);
	if (!n)
		return 0;
	double d;
	if (ynode_double(n, &d) < 0 || d < 0)
		return err_at(ret_err, file, n->line, "key '%s' must be a non-negative number", key);
	*ret = d;
	return 0;
}

static int check_keys(const struct ynode *map, const char *const *known, size_t n_known, const char *file,
		      const char *what, char **ret_err)
{
	for (size_t i = 0; i < map->n; i++) {
		bool ok = false;
		for (size_t k = 0; k < n_known && !ok; k++)
			ok = !strcmp(map->keys[i], known[k]);
		if (!ok)
			return err_at(ret_err, file, map->key_lines[i], "unknown key '%s' in %s", map->keys[i], what);
	}
	return 0;
}

static int manifest_from_doc(const char *path, struct ydoc *doc, struct manifest **ret, char **ret_err);

int manifest_load(const char *path, struct manifest **ret, char **ret_err)
{
	struct ydoc *doc = NULL;
	if (ydoc_load_file(path, &doc, ret_err) < 0)
		return -EINVAL;
	return manifest_from_doc(path, doc, ret, ret_err);
}

int manifest_load_string(const char *path, const char *data, size_t len, struct manifest **ret, char **ret_err)
{
	struct ydoc *doc = NULL;
	if (ydoc_load_string(path, data, len, &doc, ret_err) < 0)
		return -EINVAL;
	return manifest_from_doc(path, doc, ret, ret_err);
}

/* config: the actor_conf.d section it declares and its fields */
static int manifest_parse_config(struct manifest *m, const struct ynode *cfg, const char *path, char **ret_err)
{
	int r;
	static const char *const ck[] = {"section", "fields"};
	if (cfg->kind != YNODE_MAP) {
		r = err_at(ret_err, path, cfg->line, "key 'config' must be a map with section and fields");
		return r;
	}
	if ((r = check_keys(cfg, ck, ELEMENTSOF(ck), path, "config", ret_err)) < 0 ||
	    (r = get_str(cfg, "section", path, &m->config_section, true, ret_err)) < 0)
		return r;
	if ((r = fields_parse(ynode_get(cfg, "fields"), path, &m->config_fields, &m->n_config_fields, ret_err)) < 0)
		return r;
	return 0;
}

/* sandbox: what the actor may do beyond its phase's profile */
static int manifest_parse_sandbox(struct manifest *m, const struct ynode *sb, const char *path, char **ret_err)
{
	int r;
	static const char *const sk[] = {"network", "writes", "mounts", "boot", "host_mountinfo", "devices"};
	if (sb->kind != YNODE_MAP) {
		r = err_at(ret_err, path, sb->line, "key 'sandbox' must be a map");
		return r;
	}
	if ((r = check_keys(sb, sk, ELEMENTSOF(sk), path, "sandbox", ret_err)) < 0 ||
	    (r = get_bool(sb, "network", path, &m->sandbox.network, ret_err)) < 0 ||
	    (r = get_bool(sb, "mounts", path, &m->sandbox.mounts, ret_err)) < 0 ||
	    (r = get_bool(sb, "boot", path, &m->sandbox.boot, ret_err)) < 0 ||
	    (r = get_bool(sb, "host_mountinfo", path, &m->sandbox.host_mountinfo, ret_err)) < 0 ||
	    (r = get_strlist(sb, "writes", path, &m->sandbox.writes, &m->sandbox.n_writes, ret_err)) < 0)
		return r;
	const struct ynode *dev = ynode_get(sb, "devices");
	if (dev) {
		bool ro = dev->kind == YNODE_SCALAR && !strcmp(dev->scalar, "ro");
		bool rw = dev->kind == YNODE_SCALAR && !strcmp(dev->scalar, "rw");
		if (!ro && !rw)
			return err_at(ret_err, path, dev->line, "sandbox devices must be ro or rw");
		m->sandbox.devices = ro ? SANDBOX_DEVICES_RO : SANDBOX_DEVICES_RW;
		m->sandbox.line_devices = dev->line;
	}
	for (size_t i = 0; i < m->sandbox.n_writes; i++)
		if (m->sandbox.writes[i][0] != '/') {
			r = err_at(ret_err, path, ynode_get(sb, "writes")->line, "sandbox writes must be absolute paths");
			return r;
		}
	return 0;
}

/* limits: resource limits above the defaults */
static int manifest_parse_limits(struct manifest *m, const struct ynode *lim, const char *path, char **ret_err)
{
	int r;
	static const char *const lk[] = {"memory_mb", "cpu_seconds", "open_files", "pids"};
	if (lim->kind != YNODE_MAP) {
		r = err_at(ret_err, path, lim->line, "key 'limits' must be a map");
		return r;
	}
	if ((r = check_keys(lim, lk, ELEMENTSOF(lk), path, "limits", ret_err)) < 0)
		return r;
	long long *dst[] = {&m->limits.memory_mb, &m->limits.cpu_seconds, &m->limits.open_files, &m->limits.pids};
	for (size_t i = 0; i < ELEMENTSOF(lk); i++) {
		const struct ynode *v = ynode_get(lim, lk[i]);
		if (v && (ynode_int(v, dst[i]) < 0 || *dst[i] <= 0)) {
			r = err_at(ret_err, path, v->line, "limit '%s' must be a positive integer", lk[i]);
			return r;
		}
	}
	return 0;
}

static int manifest_from_doc(const char *path, struct ydoc *doc, struct manifest **ret, char **ret_err)
{
	int r;
	struct manifest *m = xcalloc(1, sizeof(*m));
	m->file = xstrdup(path);
	{
		char *slash = strrchr(m->file, '/');
		m->dir = slash ? xstrndup(m->file, (size_t)(slash - m->file)) : xstrdup(".");
	}
	const struct ynode *root = doc->root;
	static const char *const known[] = {"name",	"description", "phase",	     "stage",	     "consumes",
					    "produces", "tags",	       "exec",	     "timeout",	     "experimental",
					    "feature",	"config",      "sandbox",    "limits",	     "side_effects",
					    "requires_env"};
	if (!root || root->kind != YNODE_MAP) {
		r = err_at(ret_err, path, root ? root->line : 1, "an actor manifest is a map");
		goto out;
	}
	if ((r = check_keys(root, known, ELEMENTSOF(known), path, "the manifest", ret_err)) < 0)
		goto out;
	if ((r = get_str(root, "name", path, &m->name, true, ret_err)) < 0 ||
	    (r = get_str(root, "description", path, &m->description, false, ret_err)) < 0 ||
	    (r = get_str(root, "phase", path, &m->phase, true, ret_err)) < 0 ||
	    (r = get_str(root, "exec", path, &m->exec, true, ret_err)) < 0 ||
	    (r = get_str(root, "feature", path, &m->feature, false, ret_err)) < 0 ||
	    (r = get_strlist(root, "consumes", path, &m->consumes, &m->n_consumes, ret_err)) < 0 ||
	    (r = get_strlist(root, "produces", path, &m->produces, &m->n_produces, ret_err)) < 0 ||
	    (r = get_strlist(root, "tags", path, &m->tags, &m->n_tags, ret_err)) < 0 ||
	    (r = get_strlist(root, "requires_env", path, &m->requires_env, &m->n_requires_env, ret_err)) < 0 ||
	    (r = get_bool(root, "experimental", path, &m->experimental, ret_err)) < 0 ||
	    (r = get_bool(root, "side_effects", path, &m->side_effects, ret_err)) < 0 ||
	    (r = get_number(root, "timeout", path, &m->timeout, ret_err)) < 0)
		goto out;
	m->line_consumes = ynode_key_line(root, "consumes");
	m->line_produces = ynode_key_line(root, "produces");
	for (const char *p = m->name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '-')) {
			r = err_at(ret_err, path, ynode_get(root, "name")->line,
				   "actor name '%s' may only hold a-z, 0-9, '_' and '-'", m->name);
			goto out;
		}
	if (!m->description)
		m->description = xstrdup("");
	const struct ynode *st = ynode_get(root, "stage");
	m->stage = STAGE_MAIN;
	if (st) {
		bool ok = false;
		for (size_t i = 0; i < ELEMENTSOF(stage_names) && !ok; i++)
			if (st->kind == YNODE_SCALAR && !strcmp(st->scalar, stage_names[i])) {
				m->stage = (enum stage)i;
				ok = true;
			}
		if (!ok) {
			r = err_at(ret_err, path, st->line, "key 'stage' must be before, main or after");
			goto out;
		}
	}
	if (m->exec[0] != '/' && (strstr(m->exec, "..") || !*m->exec)) {
		r = err_at(ret_err, path, ynode_get(root, "exec")->line, "key 'exec' must name a file in the actor's folder");
		goto out;
	}
	{
		char *abs = m->exec[0] == '/' ? xstrdup(m->exec) : path_join(m->dir, m->exec);
		free(m->exec);
		m->exec = abs;
	}
	const struct ynode *n;
	if (((n = ynode_get(root, "config")) && (r = manifest_parse_config(m, n, path, ret_err)) < 0) ||
	    ((n = ynode_get(root, "sandbox")) && (r = manifest_parse_sandbox(m, n, path, ret_err)) < 0) ||
	    ((n = ynode_get(root, "limits")) && (r = manifest_parse_limits(m, n, path, ret_err)) < 0))
		goto out;
	r = 0;
out:
	ydoc_free(doc);
	if (r < 0) {
		manifest_free(m);
		return r;
	}
	*ret = m;
	return 0;
}

bool manifest_produces(const struct manifest *m, const char *model)
{
	for (size_t i = 0; i < m->n_produces; i++)
		if (!strcmp(m->produces[i], model))
			return true;
	return false;
}

bool manifest_consumes(const struct manifest *m, const char *model)
{
	for (size_t i = 0; i < m->n_consumes; i++)
		if (!strcmp(m->consumes[i], model))
			return true;
	return false;
}

int manifest_check_models(struct manifest *m, const struct model_registry *r, char **ret_err)
{
	for (size_t i = 0; i < m->n_consumes; i++)
		if (!model_registry_find(r, m->consumes[i]))
			return *ret_err = xasprintf("%s:%d: actor '%s' consumes unknown model '%s'", m->file, m->line_consumes,
						    m->name, m->consumes[i]),
			       -ENOENT;
	for (size_t i = 0; i < m->n_produces; i++)
		if (!model_registry_find(r, m->produces[i]))
			return *ret_err = xasprintf("%s:%d: actor '%s' produces unknown model '%s'", m->file, m->line_produces,
						    m->name, m->produces[i]),
			       -ENOENT;
	for (size_t i = 0; i < m->n_config_fields; i++) {
		_cleanup_free_ char *where = xasprintf("%s:%d: config key '%s'", m->file, m->config_fields[i].line,
						       m->config_fields[i].name);
		int q = ftypespec_resolve(&m->config_fields[i].spec, r, where, ret_err);
		if (q < 0)
			return q;
	}
	return 0;
}

/* Actor configuration: /etc/leapp/actor_conf.d/NAME.yaml checked against the manifests' schemas. */
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include "leapp/rootfs.h"
#include "broker.h"
#include "leapp/yaml.h"

/* The schema of a section: fields merged from every manifest that declares it. */
struct section {
	char *name;
	struct model_field *fields; /* borrowed from the manifests */
	size_t n;
	const struct manifest **owners; /* owner of each field */
};

static bool same_type(const struct ftypespec *a, const struct ftypespec *b)
{
	if (a->type != b->type || a->nullable != b->nullable)
		return false;
	if (a->of || b->of)
		return a->of && b->of && same_type(a->of, b->of);
	if (a->type == FT_MODEL)
		return !strcmp(a->model_name, b->model_name);
	return true;
}

static int build_sections(struct leapp_ctx *c, struct section **ret, size_t *ret_n, char **ret_err)
{
	struct section *secs = NULL;
	size_t n = 0;
	for (size_t i = 0; i < c->actors.n; i++) {
		const struct manifest *m = c->actors.v[i];
		if (!m->config_section)
			continue;
		struct section *s = NULL;
		for (size_t k = 0; k < n && !s; k++)
			if (!strcmp(secs[k].name, m->config_section))
				s = &secs[k];
		if (!s) {
			secs = xrealloc(secs, (n + 1) * sizeof(*secs));
			s = &secs[n++];
			memset(s, 0, sizeof(*s));
			s->name = m->config_section;
		}
		for (size_t f = 0; f < m->n_config_fields; f++) {
			const struct model_field *fd = &m->config_fields[f];
			bool dup = false;
			for (size_t k = 0; k < s->n; k++) {
				if (strcmp(s->fields[k].name, fd->name))
					continue;
				dup = true;
				if (!same_type(&s->fields[k].spec, &fd->spec)) {
					*ret_err = xasprintf("conflicting definitions of configuration key '%s.%s': %s:%d and %s:%d",
							     s->name, fd->name, s->owners[k]->file, s->fields[k].line, m->file,
							     fd->line);
					for (size_t q = 0; q < n; q++) {
						free(secs[q].fields);
						free(secs[q].owners);
					}
					free(secs);
					return -EINVAL;
				}
			}
			if (dup)
				continue;
			s->fields = xrealloc(s->fields, (s->n + 1) * sizeof(*s->fields));
			s->owners = xrealloc(s->owners, (s->n + 1) * sizeof(*s->owners));
			s->fields[s->n] = *fd; /* shallow: the manifest owns the strings */
			s->owners[s->n] = m;
			s->n++;
		}
	}
	*ret = secs;
	*ret_n = n;
	return 0;
}

/* The *.yaml files of actor_conf.d, sorted by name (none when the directory is missing). */
static void config_files_list(const char *dir, char ***ret, size_t *ret_n)
{
	char **files = NULL;
	size_t n_files = 0;
	DIR *d = opendir(dir);
	if (d) {
		struct dirent *de;
		while ((de = readdir(d))) {
			if (de->d_name[0] == '.' || !(str_endswith(de->d_name, ".yaml") || str_endswith(de->d_name, ".yml")))
				continue;
			files = xrealloc(files, (n_files + 1) * sizeof(char *));
			files[n_files++] = xstrdup(de->d_name);
		}
		closedir(d);
		if (n_files > 1)
			qsort(files, n_files, sizeof(char *), str_cmp_qsort);
	}
	*ret = files;
	*ret_n = n_files;
}

/* The field of section s that key names (its own name or an alias), or NULL. */
static const struct model_field *section_field(const struct section *s, const char *key)
{
	for (size_t f = 0; f < s->n; f++) {
		if (!strcmp(s->fields[f].name, key))
			return &s->fields[f];
		for (size_t a = 0; a < s->fields[f].spec.n_aliases; a++)
			if (!strcmp(s->fields[f].spec.aliases[a], key))
				return &s->fields[f];
	}
	return NULL;
}

/* One section of one file: each key checked against its schema; where records where each key
 * was set, to name both places of a conflicting definition. */
static int config_section_load(struct leapp_ctx *c, const struct section *s, const char *sname, const struct ynode *body,
			       const char *shown, json_t *where, char **ret_err)
{
	if (body->kind != YNODE_MAP) {
		*ret_err = xasprintf("%s:%d: key '%s': a section is a map of keys", shown, body->line, sname);
		return -EINVAL;
	}
	json_t *sect = json_object_get(c->actor_config, sname);
	if (!sect) {
		sect = json_object();
		json_object_set_new(c->actor_config, sname, sect);
	}
	for (size_t q = 0; q < body->n; q++) {
		const char *key = body->keys[q];
		const struct model_field *fd = section_field(s, key);
		if (!fd) {
			json_array_append_new(c->config_warnings, json_sprintf("%s:%d: unknown key '%s.%s'", shown,
									     body->key_lines[q], sname, key));
			continue;
		}
		/* an alias is stored under the field's own name */
		_cleanup_free_ char *full = xasprintf("%s.%s", sname, fd->name);
		json_t *prev = json_object_get(where, full);
		if (prev) {
			*ret_err = xasprintf("%s:%d: key '%s' is also set at %s", shown, body->key_lines[q], full,
					     json_string_value(prev));
			return -EINVAL;
		}
		json_t *v = NULL;
		int r = ftypespec_json_from_yaml(&fd->spec, body->items[q], shown, full, &v, ret_err);
		if (r < 0)
			return r;
		json_object_set_new(sect, fd->name, v);
		json_object_set_new(where, full, json_sprintf("%s:%d", shown, body->key_lines[q]));
	}
	return 0;
}

/* One file of actor_conf.d. */
static int config_file_load(struct leapp_ctx *c, const struct section *secs, size_t n_secs, const char *dir,
			    const char *name, json_t *where, char **ret_err)
{
	/* errors name the file as the admin knows it: /etc/leapp/..., not <root>/etc/leapp/... */
	_cleanup_free_ char *shown = xasprintf("/etc/leapp/actor_conf.d/%s", name);
	_cleanup_free_ char *data = NULL;
	size_t len;
	struct ydoc *doc = NULL;
	/* inside the root: a symlink there resolves in the root, not on the host */
	_cleanup_close_ int cfd = rootfs_open_path(c->root, shown, O_RDONLY | O_CLOEXEC | O_NOCTTY, 0);
	int r = cfd < 0 ? cfd : read_fd(cfd, 4u << 20, &data, &len);
	if (r < 0) {
		*ret_err = xasprintf("%s: %s", shown, strerror(-r));
		return r;
	}
	if ((r = ydoc_load_string(shown, data, len, &doc, ret_err)) < 0)
		return r;
	const struct ynode *root = doc->root;
	if (root && root->kind != YNODE_MAP) {
		*ret_err = xasprintf("%s:%d: an actor configuration file is a map of sections", shown, root->line);
		r = -EINVAL;
	}
	for (size_t k = 0; root && r == 0 && k < root->n; k++) {
		const char *sname = root->keys[k];
		const struct section *s = NULL;
		for (size_t q = 0; q < n_secs && !s; q++)
			if (!strcmp(secs[q].name, sname))
				s = &secs[q];
		if (!s) {
			/* a resumed upgrade (the upgrade initramfs, the live image) carries only the
			 * actors of the phases left: the sections of the others were checked when the
			 * upgrade began */
			if (!c->opt.resume)
				json_array_append_new(c->config_warnings,
						      json_sprintf("%s:%d: unknown key '%s' (no actor declares this section)",
								   shown, root->key_lines[k], sname));
			continue;
		}
		if (!ynode_is_null(root->items[k]))
			r = config_section_load(c, s, sname, root->items[k], shown, where, ret_err);
	}
	ydoc_free(doc);
	return r;
}

static bool config_value_set(json_t *v, bool empty_list_unset)
{
	return v && !json_is_null(v) && !json_is_false(v) && !(json_is_string(v) && !*json_string_value(v)) &&
	       !(empty_list_unset && json_is_array(v) && !json_array_size(v));
}

/* The constraints between keys and on the system, once every file is read. */
static int config_check_constraints(struct leapp_ctx *c, const struct section *secs, size_t n_secs, json_t *where,
				    char **ret_err)
{
	for (size_t q = 0; q < n_secs; q++) {
		json_t *sect = json_object_get(c->actor_config, secs[q].name);
		for (size_t f = 0; f < secs[q].n; f++) {
			const struct model_field *fd = &secs[q].fields[f];
			json_t *v = json_object_get(sect, fd->name);
			if (!config_value_set(v, true))
				continue;
			_cleanup_free_ char *full = xasprintf("%s.%s", secs[q].name, fd->name);
			const char *at = json_string_value(json_object_get(where, full));
			for (size_t k = 0; k < fd->spec.n_requires; k++) {
				if (config_value_set(json_object_get(sect, fd->spec.requires[k]), false))
					continue;
				*ret_err = xasprintf("%s: key '%s': needs '%s.%s' to be set too", at ? at : "actor_conf.d", full,
						     secs[q].name, fd->spec.requires[k]);
				return -EINVAL;
			}
			if (fd->spec.path_exists && json_is_string(v)) {
				_cleanup_close_ int pfd = rootfs_open_path(c->root, json_string_value(v), O_PATH | O_CLOEXEC, 0);
				if (pfd < 0) {
					*ret_err = xasprintf("%s: key '%s': %s does not exist", at ? at : "actor_conf.d", full,
							     json_string_value(v));
					return -EINVAL;
				}
			}
		}
	}
	return 0;
}

/* Defaults for every key not set; a required key without a default is an error. */
static int config_fill_defaults(struct leapp_ctx *c, const struct section *secs, size_t n_secs, char **ret_err)
{
	for (size_t q = 0; q < n_secs; q++) {
		json_t *sect = json_object_get(c->actor_config, secs[q].name);
		if (!sect) {
			sect = json_object();
			json_object_set_new(c->actor_config, secs[q].name, sect);
		}
		for (size_t f = 0; f < secs[q].n; f++) {
			const struct model_field *fd = &secs[q].fields[f];
			if (json_object_get(sect, fd->name))
				continue;
			if (fd->spec.def)
				json_object_set(sect, fd->name, fd->spec.def);
			else if (fd->spec.nullable || fd->spec.type == FT_ANY)
				json_object_set_new(sect, fd->name, json_null());
			else {
				*ret_err = xasprintf("/etc/leapp/actor_conf.d: required configuration key '%s.%s' is not set "
						     "(declared in %s:%d)",
						     secs[q].name, fd->name, secs[q].owners[f]->file, fd->line);
				return -EINVAL;
			}
		}
	}
	return 0;
}

int actor_config_load(struct leapp_ctx *c, char **ret_err)
{
	struct section *secs = NULL;
	size_t n_secs = 0;
	int r = build_sections(c, &secs, &n_secs, ret_err);
	if (r < 0)
		return r;
	json_decref(c->actor_config);
	c->actor_config = json_object();
	json_decref(c->config_warnings);
	c->config_warnings = json_array();
	json_t *where = json_object();
	_cleanup_free_ char *dir = path_join(c->etcdir, "actor_conf.d");
	char **files = NULL;
	size_t n_files = 0;
	config_files_list(dir, &files, &n_files);
	for (size_t fi = 0; fi < n_files && r == 0; fi++)
		r = config_file_load(c, secs, n_secs, dir, files[fi], where, ret_err);
	for (size_t fi = 0; fi < n_files; fi++)
		free(files[fi]);
	free(files);
	if (r == 0)
		r = config_check_constraints(c, secs, n_secs, where, ret_err);
	if (r == 0)
		r = config_fill_defaults(c, secs, n_secs, ret_err);
	json_decref(where);
	for (size_t q = 0; q < n_secs; q++) {
		free(secs[q].fields);
		free(secs[q].owners);
	}
	free(secs);
	return r;
}

/* dnf .repo files: sections are repos; values are expanded and split the way dnf does it. */
#include "fetch.h"

#include <dirent.h>

#include "leapp/ini.h"
#include "leapp/util.h"

void repofile_vars_set(struct repo_vars *v, const char *name, const char *value)
{
	for (size_t i = 0; i < v->n; i++)
		if (!strcmp(v->names[i], name)) {
			free(v->values[i]);
			v->values[i] = xstrdup(value);
			return;
		}
	v->names = xrealloc(v->names, (v->n + 1) * sizeof(char *));
	v->values = xrealloc(v->values, (v->n + 1) * sizeof(char *));
	v->names[v->n] = xstrdup(name);
	v->values[v->n] = xstrdup(value);
	v->n++;
}

static void load_vars_dir(struct repo_vars *v, const char *root, const char *dir)
{
	_cleanup_free_ char *p = path_join(root, dir);
	DIR *d = opendir(p);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		_cleanup_free_ char *f = path_join(p, de->d_name);
		_cleanup_free_ char *data = NULL;
		if (read_file(f, 4096, &data, NULL) < 0)
			continue;
		char *nl = strchr(data, '\n');
		if (nl)
			*nl = 0;
		repofile_vars_set(v, de->d_name, str_strip(data));
	}
	closedir(d);
}

void repofile_vars_init(struct repo_vars *v, const char *root, const char *releasever, const char *basearch)
{
	memset(v, 0, sizeof(*v));
	if (releasever) {
		repofile_vars_set(v, "releasever", releasever);
		_cleanup_free_ char *major = xstrdup(releasever);
		char *dot = strchr(major, '.');
		if (dot)
			*dot = 0;
		repofile_vars_set(v, "releasever_major", major);
	}
	if (basearch) {
		repofile_vars_set(v, "basearch", basearch);
		repofile_vars_set(v, "arch", basearch);
	}
	if (root) {
		load_vars_dir(v, root, "/etc/yum/vars");
		load_vars_dir(v, root, "/etc/dnf/vars");
	}
}

void repofile_vars_clear(struct repo_vars *v)
{
	strv_free_n(v->names, v->n);
	strv_free_n(v->values, v->n);
	memset(v, 0, sizeof(*v));
}

static bool var_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

char *repofile_vars_expand(const struct repo_vars *v, const char *s)
{
	struct buf b = {0};
	buf_append(&b, "", 0);
	for (const char *p = s; *p;) {
		if (*p != '$') {
			buf_append(&b, p++, 1);
			continue;
		}
		const char *start = p + 1, *end;
		bool brace = *start == '{';
		if (brace)
			start++;
		end = start;
		while (var_char(*end))
			end++;
		if (end == start || (brace && *end != '}')) {
			buf_append(&b, p++, 1);
			continue;
		}
		const char *val = NULL;
		for (size_t i = 0; i < (v ? v->n : 0) && !val; i++)
			if (strlen(v->names[i]) == (size_t)(end - start) && !memcmp(v->names[i], start, (size_t)(end - start)))
				val = v->values[i];
		const char *after = brace ? end + 1 : end;
		if (val)
			buf_append(&b, val, strlen(val));
		else
			buf_append(&b, p, (size_t)(after - p));
		p = after;
	}
	return buf_steal(&b);
}

char **repofile_list_split(const char *s, size_t *ret_n)
{
	char **v = NULL;
	size_t n = 0;
	const char *p = s;
	while (*p) {
		while (*p && (*p == ' ' || *p == '\t' || *p == '\n' || *p == ','))
			p++;
		const char *st = p;
		while (*p && !(*p == ' ' || *p == '\t' || *p == '\n' || *p == ','))
			p++;
		if (p > st) {
			v = xrealloc(v, (n + 2) * sizeof(char *));
			v[n++] = xstrndup(st, (size_t)(p - st));
			v[n] = NULL;
		}
	}
	*ret_n = n;
	return v;
}

static int parse_bool(const char *s, bool *ret)
{
	static const char *const t[] = {"1", "yes", "true", "on", "True", "Yes"};
	static const char *const f[] = {"0", "no", "false", "off", "False", "No"};
	for (size_t i = 0; i < ELEMENTSOF(t); i++)
		if (!strcmp(s, t[i])) {
			*ret = true;
			return 0;
		}
	for (size_t i = 0; i < ELEMENTSOF(f); i++)
		if (!strcmp(s, f[i])) {
			*ret = false;
			return 0;
		}
	return -EINVAL;
}

struct parse_ctx {
	struct repo_file *f;
	const struct repo_vars *vars;
	const char *display;
	bool gpgcheck_default;
	char *err;
};

static int on_ini(const char *section, const char *key, const char *value, int line, void *userdata)
{
	struct parse_ctx *c = userdata;
	struct repo_file *f = c->f;
	if (!key) {
		if (!strcmp(section, "main"))
			return 0;
		for (size_t i = 0; i < f->n; i++)
			if (!strcmp(f->repos[i].id, section)) {
				c->err = xasprintf("%s:%d: repository '%s' is defined twice (first at line %d)", c->display, line,
						   section, f->repos[i].line);
				return -EEXIST;
			}
		f->repos = xrealloc(f->repos, (f->n + 1) * sizeof(*f->repos));
		struct repo_entry *e = &f->repos[f->n++];
		memset(e, 0, sizeof(*e));
		e->id = xstrdup(section);
		e->enabled = true;
		e->gpgcheck = c->gpgcheck_default;
		e->line = line;
		return 0;
	}
	if (!*section || !strcmp(section, "main"))
		return 0;
	struct repo_entry *e = &f->repos[f->n - 1];
	_cleanup_free_ char *v = repofile_vars_expand(c->vars, value);
	if (!strcmp(key, "name")) {
		free(e->name);
		e->name = xstrdup(v);
	} else if (!strcmp(key, "baseurl")) {
		strv_free_n(e->baseurl, e->n_baseurl);
		e->baseurl = repofile_list_split(v, &e->n_baseurl);
	} else if (!strcmp(key, "mirrorlist")) {
		free(e->mirrorlist);
		e->mirrorlist = *v ? xstrdup(v) : NULL;
	} else if (!strcmp(key, "metalink")) {
		free(e->metalink);
		e->metalink = *v ? xstrdup(v) : NULL;
	} else if (!strcmp(key, "gpgkey")) {
		strv_free_n(e->gpgkey, e->n_gpgkey);
		e->gpgkey = repofile_list_split(v, &e->n_gpgkey);
	} else if (!strcmp(key, "exclude") || !strcmp(key, "excludepkgs")) {
		size_t n;
		char **more = repofile_list_split(v, &n);
		e->exclude = xrealloc(e->exclude, (e->n_exclude + n + 1) * sizeof(char *));
		for (size_t i = 0; i < n; i++)
			e->exclude[e->n_exclude++] = more[i];
		free(more);
	} else if (!strcmp(key, "includepkgs")) {
		strv_free_n(e->includepkgs, e->n_includepkgs);
		e->includepkgs = repofile_list_split(v, &e->n_includepkgs);
	} else if (!strcmp(key, "enabled") || !strcmp(key, "gpgcheck") || !strcmp(key, "module_hotfixes")) {
		bool b;
		if (parse_bool(v, &b) < 0) {
			c->err = xasprintf("%s:%d: repository '%s': '%s' must be a boolean (0/1, yes/no, true/false), not '%s'",
					   c->display, line, e->id, key, v);
			return -EINVAL;
		}
		if (!strcmp(key, "enabled"))
			e->enabled = b;
		else if (!strcmp(key, "gpgcheck"))
			e->gpgcheck = b;
		else
			e->module_hotfixes = b;
	}
	/* other keys (priority, cost, sslverify, ...) do not change what the upgrade installs */
	return 0;
}

int repofile_parse_string(const char *display_path, const char *data, size_t len, const struct repo_vars *vars,
			  bool gpgcheck_default, struct repo_file **ret, char **ret_err)
{
	struct repo_file *f = xcalloc(1, sizeof(*f));
	f->path = xstrdup(display_path);
	struct parse_ctx c = {.f = f, .vars = vars, .display = display_path, .gpgcheck_default = gpgcheck_default};
	int line = 0;
	int r = ini_parse(data, len, on_ini, &c, &line);
	if (r == -EINVAL && !c.err)
		c.err = xasprintf("%s:%d: not a section header, a key = value line or a comment", display_path, line);
	if (r) {
		repofile_free(f);
		if (ret_err)
			*ret_err = c.err;
		else
			free(c.err);
		return r < 0 ? r : -EINVAL;
	}
	for (size_t i = 0; i < f->n; i++) {
		struct repo_entry *e = &f->repos[i];
		if (e->enabled && !e->n_baseurl && !e->mirrorlist && !e->metalink) {
			if (ret_err)
				*ret_err = xasprintf("%s:%d: repository '%s' has no baseurl, mirrorlist or metalink", display_path,
						     e->line, e->id);
			repofile_free(f);
			return -EINVAL;
		}
	}
	*ret = f;
	return 0;
}

int repofile_parse(const char *path, const char *display_path, const struct repo_vars *vars, bool gpgcheck_default,
		   struct repo_file **ret, char **ret_err)
{
	_cleanup_free_ char *data = NULL;
	size_t len;
	int r = read_file(path, 4u << 20, &data, &len);
	if (r < 0) {
		if (ret_err)
			*ret_err = xasprintf("%s: %s", display_path ? display_path : path, strerror(-r));
		return r;
	}
	return repofile_parse_string(display_path ? display_path : path, data, len, vars, gpgcheck_default, ret, ret_err);
}

void repofile_free(struct repo_file *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->n; i++) {
		struct repo_entry *e = &f->repos[i];
		free(e->id);
		free(e->name);
		strv_free_n(e->baseurl, e->n_baseurl);
		free(e->mirrorlist);
		free(e->metalink);
		strv_free_n(e->gpgkey, e->n_gpgkey);
		strv_free_n(e->exclude, e->n_exclude);
		strv_free_n(e->includepkgs, e->n_includepkgs);
	}
	free(f->repos);
	free(f->path);
	free(f);
}

static json_t *strv_json(char **v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

json_t *repofile_entry_to_json(const struct repo_entry *e)
{
	return json_pack("{s:s, s:s?, s:o, s:s?, s:s?, s:b, s:b, s:o, s:o, s:o, s:b, s:i}", "repoid", e->id, "name", e->name,
			 "baseurl", strv_json(e->baseurl, e->n_baseurl), "mirrorlist", e->mirrorlist, "metalink", e->metalink,
			 "enabled", e->enabled, "gpgcheck", e->gpgcheck, "gpgkey", strv_json(e->gpgkey, e->n_gpgkey),
			 "exclude", strv_json(e->exclude, e->n_exclude), "includepkgs",
			 strv_json(e->includepkgs, e->n_includepkgs), "module_hotfixes", e->module_hotfixes, "line", e->line);
}

json_t *repofile_to_json(const struct repo_file *f)
{
	json_t *a = json_array();
	for (size_t i = 0; i < f->n; i++)
		json_array_append_new(a, repofile_entry_to_json(&f->repos[i]));
	return json_pack("{s:s, s:o}", "file", f->path, "data", a);
}

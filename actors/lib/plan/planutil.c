/* Shared helpers of the planner's actors (vendors.d listing, admin lists, releases). */
#include "plan.h"
#include "fetch.h"

#include <dirent.h>

#include "leapp/actor.h"
#include "leapp/util.h"

static void list_dir(const char *dir, const char *shown_dir, const char *suffix, char ***names, char ***paths,
		     char ***shown, size_t *n)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || !str_endswith(de->d_name, suffix))
			continue;
		bool dup = false;
		for (size_t i = 0; i < *n && !dup; i++)
			dup = !strcmp((*names)[i], de->d_name);
		if (dup)
			continue;
		*names = xrealloc(*names, (*n + 1) * sizeof(char *));
		*paths = xrealloc(*paths, (*n + 1) * sizeof(char *));
		*shown = xrealloc(*shown, (*n + 1) * sizeof(char *));
		(*names)[*n] = xstrdup(de->d_name);
		(*paths)[*n] = path_join(dir, de->d_name);
		(*shown)[*n] = xasprintf("%s/%s", shown_dir, de->d_name);
		(*n)++;
	}
	closedir(d);
}

size_t plan_vendor_files(const char *suffix, char ***ret_paths, char ***ret_shown)
{
	char **names = NULL, **paths = NULL, **shown = NULL;
	size_t n = 0;
	_cleanup_free_ char *etc = actor_path("/etc/leapp/files/vendors.d");
	list_dir(etc, "/etc/leapp/files/vendors.d", suffix, &names, &paths, &shown, &n);
	const char *dd = getenv("LEAPP_DATADIR");
	if (dd && *dd) {
		_cleanup_free_ char *builtin = xasprintf("%s/files/vendors.d", dd);
		list_dir(builtin, builtin, suffix, &names, &paths, &shown, &n);
	}
	/* sort the three arrays together by name */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
			char *t;
			t = names[j], names[j] = names[j - 1], names[j - 1] = t;
			t = paths[j], paths[j] = paths[j - 1], paths[j - 1] = t;
			t = shown[j], shown[j] = shown[j - 1], shown[j - 1] = t;
		}
	strv_free_n(names, n);
	*ret_paths = paths;
	*ret_shown = shown;
	return n;
}

json_t *plan_load_json(const char *path, const char *shown, char **ret_err)
{
	json_error_t e;
	json_t *j = json_load_file(path, JSON_REJECT_DUPLICATES, &e);
	if (!j) {
		if (e.line <= 0)
			*ret_err = xasprintf("%s: %s", shown, e.text);
		else
			*ret_err = xasprintf("%s:%d:%d: %s", shown, e.line, e.column, e.text);
	}
	return j;
}

int plan_read_admin_list(const char *name, struct admin_list *ret, char **ret_err)
{
	memset(ret, 0, sizeof(*ret));
	_cleanup_free_ char *rel = xasprintf("/etc/leapp/transaction/%s", name);
	_cleanup_free_ char *p = actor_path(rel);
	_cleanup_free_ char *data = NULL;
	int r = read_file(p, 1 << 20, &data, NULL);
	if (r == -ENOENT)
		return 0;
	if (r < 0) {
		*ret_err = xasprintf("%s: %s", rel, strerror(-r));
		return r;
	}
	int line = 0;
	for (char *s = data, *nl; s && *s; s = nl) {
		nl = strchr(s, '\n');
		if (nl)
			*nl++ = 0;
		line++;
		char *hash = strchr(s, '#');
		if (hash)
			*hash = 0;
		char *w = str_strip(s);
		if (!*w)
			continue;
		if (strpbrk(w, " \t")) {
			*ret_err = xasprintf("%s:%d: one package name per line, got \"%s\"", rel, line, w);
			plan_admin_list_free(ret);
			return -EINVAL;
		}
		ret->names = xrealloc(ret->names, (ret->n + 1) * sizeof(char *));
		ret->lines = xrealloc(ret->lines, (ret->n + 1) * sizeof(int));
		ret->names[ret->n] = xstrdup(w);
		ret->lines[ret->n] = line;
		ret->n++;
	}
	return 0;
}

void plan_admin_list_free(struct admin_list *l)
{
	strv_free_n(l->names, l->n);
	free(l->lines);
	memset(l, 0, sizeof(*l));
}

int plan_ipu_release(json_t *ipu, bool target, int ret[2])
{
	const char *v = json_string_value(json_object_get(ipu, target ? "target_virtual_version" : "source_virtual_version"));
	if (!v)
		v = json_string_value(json_object_get(ipu, target ? "target_version" : "source_version"));
	return pes_parse_release(v, ret);
}

json_t *plan_strv_json(char *const *v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

char **plan_json_strv(json_t *a, size_t *ret_n)
{
	char **v = xcalloc(json_array_size(a) + 1, sizeof(char *));
	size_t n = 0, i;
	json_t *s;
	json_array_foreach(a, i, s)
		if (json_is_string(s))
			v[n++] = xstrdup(json_string_value(s));
	if (ret_n)
		*ret_n = n;
	return v;
}

char **plan_enablerepos(size_t *ret_n)
{
	const char *env = getenv("LEAPP_ENABLE_REPOS");
	size_t n = 0;
	char **v = env ? repofile_list_split(env, &n) : NULL;
	if (!v)
		v = xcalloc(1, sizeof(char *));
	*ret_n = n;
	return v;
}

json_t *plan_consume_planned(void)
{
	json_t *plan = actor_consume_last("PlannedTransaction");
	const char *status = json_string_value(json_object_get(plan, "status"));
	if (plan && status && !strcmp(status, "planned"))
		return plan;
	json_decref(plan);
	return NULL;
}

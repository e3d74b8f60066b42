/* systemd service units read offline from a tree: states, presets, broken links. */
#include "sys.h"

#include <dirent.h>
#include <fnmatch.h>
#include <limits.h>
#include <sys/stat.h>

#include "leapp/util.h"

#define ETC_DIR "/etc/systemd/system"
#define LIB_DIR "/usr/lib/systemd/system"

/* Is root + path an existing file or directory, following symlinks inside the root (absolute
 * targets re-rooted, at most 8 hops)? */
static bool exists_in_root(const char *root, const char *path)
{
	_cleanup_free_ char *cur = xstrdup(path);
	for (int hop = 0; hop < 8; hop++) {
		_cleanup_free_ char *full = path_join(root, cur);
		struct stat st;
		if (lstat(full, &st) < 0)
			return false;
		if (!S_ISLNK(st.st_mode))
			return true;
		char t[PATH_MAX];
		ssize_t n = readlink(full, t, sizeof(t) - 1);
		if (n < 0)
			return false;
		t[n] = 0;
		if (!strcmp(t, "/dev/null"))
			return true;
		char *next;
		if (t[0] == '/')
			next = xstrdup(t);
		else {
			_cleanup_free_ char *dir = xstrdup(cur);
			char *slash = strrchr(dir, '/');
			if (slash)
				*slash = 0;
			next = path_join(dir, t);
		}
		free(cur);
		cur = next;
	}
	return false;
}

/* Does the unit file have an [Install] section that makes it enable-able? */
static bool has_install(const char *full)
{
	_cleanup_free_ char *data = NULL;
	if (read_file(full, 1 << 20, &data, NULL) < 0)
		return false;
	bool in_install = false;
	char *save = NULL;
	for (char *line = strtok_r(data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *l = str_strip(line);
		if (l[0] == '[')
			in_install = !strcmp(l, "[Install]");
		else if (in_install && (!strncmp(l, "WantedBy=", 9) || !strncmp(l, "RequiredBy=", 11) ||
					!strncmp(l, "Alias=", 6) || !strncmp(l, "Also=", 5)) && strchr(l, '=')[1])
			return true;
	}
	return false;
}

struct preset_rule {
	bool enable;
	char *pattern;
};

/* The preset rules in order: *.preset of both directories sorted by file name; a file name in
 * /etc hides the same name in /usr/lib. */
static struct preset_rule *presets_load(const char *root, size_t *ret_n)
{
	static const char *const dirs[] = {"/etc/systemd/system-preset", "/usr/lib/systemd/system-preset"};
	char **names = NULL;
	size_t n = 0;
	for (size_t d = 0; d < ELEMENTSOF(dirs); d++) {
		_cleanup_free_ char *dir = path_join(root, dirs[d]);
		DIR *dd = opendir(dir);
		struct dirent *de;
		while (dd && (de = readdir(dd))) {
			if (!str_endswith(de->d_name, ".preset"))
				continue;
			bool dup = false;
			for (size_t i = 0; i < n && !dup; i++)
				dup = !strcmp(names[i], de->d_name);
			if (dup)
				continue;
			names = xrealloc(names, (n + 1) * sizeof(char *));
			names[n] = xasprintf("%s\n%s/%s", de->d_name, dir, de->d_name);
			n++;
		}
		if (dd)
			closedir(dd);
	}
	if (n)
		qsort(names, n, sizeof(char *), str_cmp_qsort);
	struct preset_rule *rules = NULL;
	size_t nr = 0;
	for (size_t i = 0; i < n; i++) {
		_cleanup_free_ char *data = NULL;
		if (read_file(strchr(names[i], '\n') + 1, 1 << 20, &data, NULL) == 0) {
			char *save = NULL;
			for (char *line = strtok_r(data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
				char *l = str_strip(line);
				bool en = !strncmp(l, "enable ", 7), dis = !strncmp(l, "disable ", 8);
				if (!en && !dis)
					continue;
				char *pat = str_strip(l + (en ? 7 : 8));
				pat[strcspn(pat, " \t")] = 0;
				rules = xrealloc(rules, (nr + 1) * sizeof(*rules));
				rules[nr].enable = en;
				rules[nr++].pattern = xstrdup(pat);
			}
		}
		free(names[i]);
	}
	free(names);
	*ret_n = nr;
	return rules;
}

static bool enabled_by_links(const char *root, const char *name)
{
	_cleanup_free_ char *top = path_join(root, ETC_DIR);
	DIR *d = opendir(top);
	if (!d)
		return false;
	struct dirent *de;
	bool found = false;
	while (!found && (de = readdir(d))) {
		if (!str_endswith(de->d_name, ".wants") && !str_endswith(de->d_name, ".requires"))
			continue;
		_cleanup_free_ char *sub = path_join(top, de->d_name);
		_cleanup_free_ char *p = path_join(sub, name);
		struct stat st;
		found = lstat(p, &st) == 0;
	}
	closedir(d);
	return found;
}

/* The unit names (*.service, not templates) of a directory, added to the map name -> dir. */
static void collect(const char *root, const char *dir, json_t *units)
{
	_cleanup_free_ char *full = path_join(root, dir);
	DIR *d = opendir(full);
	struct dirent *de;
	while (d && (de = readdir(d))) {
		const char *n = de->d_name;
		if (!str_endswith(n, ".service") || strchr(n, '@') || json_object_get(units, n))
			continue;
		json_object_set_new(units, n, json_string(dir));
	}
	if (d)
		closedir(d);
}

json_t *systemd_services_scan(const char *root)
{
	json_t *units = json_object();
	collect(root, ETC_DIR, units);
	collect(root, LIB_DIR, units);
	size_t nr = 0;
	struct preset_rule *rules = presets_load(root, &nr);
	size_t n = json_object_size(units), k = 0;
	const char **names = xcalloc(n ? n : 1, sizeof(char *));
	const char *key;
	json_t *v;
	json_object_foreach(units, key, v)
		names[k++] = key;
	qsort(names, n, sizeof(char *), str_cmp_qsort);
	json_t *out = json_array();
	for (size_t i = 0; i < n; i++) {
		const char *name = names[i];
		_cleanup_free_ char *etc = xasprintf("%s/%s", ETC_DIR, name), *etc_full = path_join(root, etc);
		char t[PATH_MAX];
		ssize_t tl = readlink(etc_full, t, sizeof(t) - 1);
		const char *state;
		if (tl > 0 && (t[tl] = 0, !strcmp(t, "/dev/null")))
			state = "masked";
		else {
			_cleanup_free_ char *rel = xasprintf("%s/%s", json_string_value(json_object_get(units, name)), name);
			_cleanup_free_ char *full = path_join(root, rel);
			if (tl > 0 && t[0] == '/') {
				free(full);
				full = path_join(root, t);
			}
			state = !has_install(full) ? "static" : enabled_by_links(root, name) ? "enabled" : "disabled";
		}
		const char *preset = "disable";
		for (size_t r = 0; r < nr; r++)
			if (fnmatch(rules[r].pattern, name, 0) == 0) {
				preset = rules[r].enable ? "enable" : "disable";
				break;
			}
		json_array_append_new(out, json_pack("{s:s, s:s, s:s}", "name", name, "state", state, "preset", preset));
	}
	for (size_t r = 0; r < nr; r++)
		free(rules[r].pattern);
	free(rules);
	free(names);
	json_decref(units);
	return out;
}

static void broken_in(const char *root, const char *dir, json_t *out, bool recurse)
{
	_cleanup_free_ char *full = path_join(root, dir);
	DIR *d = opendir(full);
	struct dirent *de;
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		_cleanup_free_ char *rel = xasprintf("%s/%s", dir, de->d_name), *p = path_join(root, rel);
		struct stat st;
		if (lstat(p, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode) && recurse)
			broken_in(root, rel, out, false);
		else if (S_ISLNK(st.st_mode) && !exists_in_root(root, rel))
			json_array_append_new(out, json_string(rel));
	}
	if (d)
		closedir(d);
}

static int cmp_json_str(const void *a, const void *b)
{
	return strcmp(json_string_value(*(json_t *const *)a), json_string_value(*(json_t *const *)b));
}

json_t *systemd_broken_symlinks(const char *root)
{
	json_t *out = json_array();
	broken_in(root, ETC_DIR, out, true);
	size_t n = json_array_size(out);
	json_t **v = xcalloc(n ? n : 1, sizeof(json_t *));
	for (size_t i = 0; i < n; i++)
		v[i] = json_incref(json_array_get(out, i));
	qsort(v, n, sizeof(json_t *), cmp_json_str);
	json_array_clear(out);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(out, v[i]);
	free(v);
	return out;
}

json_t *systemd_services_find(json_t *services, const char *name)
{
	size_t i;
	json_t *s;
	json_array_foreach(services, i, s)
		if (!strcmp(json_string_value(json_object_get(s, "name")) ?: "", name))
			return s;
	return NULL;
}

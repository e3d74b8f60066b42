/* FactsCollection: the dynamic linker's configuration that is not the distribution's (upstream
 * scan_dynamic_linker_configuration): lines of /etc/ld.so.conf other than includes, included
 * files that no package owns or that differ from their package, /etc/ld.so.preload, and
 * LD_LIBRARY_PATH / LD_PRELOAD set system-wide (/etc/environment and the shells' startup
 * files). Read under --root; upstream looks at leapp's own environment instead, which says
 * nothing about the services and logins of the system. */
#include <ctype.h>
#include <glob.h>

#include "fs.h"
#include "sys.h"
#include "leapp/actor.h"
#include "rpm.h"

static char *strip(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	char *e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = 0;
	return s;
}

/* Is the file a configuration the distribution shipped, unchanged? Comment-only files never count. */
static bool conf_is_custom(const char *path)
{
	_cleanup_free_ char *data = NULL;
	size_t len;
	if (fs_root_read(path, 1u << 20, &data, &len) < 0)
		return false;
	bool effective = false;
	for (char *save = NULL, *l = strtok_r(data, "\n", &save); l && !effective; l = strtok_r(NULL, "\n", &save)) {
		l = strip(l);
		effective = *l && *l != '#';
	}
	if (!effective)
		return false;
	bool modified = false;
	int r = rpmdb_file_modified(actor_root(), path, NULL, &modified);
	return r < 0 || modified;
}

static void scan_includes(const char *pattern, json_t *custom)
{
	_cleanup_free_ char *abs = pattern[0] == '/' ? xstrdup(pattern) : xasprintf("/etc/%s", pattern);
	_cleanup_free_ char *full = path_join(actor_root(), abs);
	glob_t g;
	if (glob(full, 0, NULL, &g) != 0)
		return;
	size_t rl = strcmp(actor_root(), "/") ? strlen(actor_root()) : 0;
	for (size_t i = 0; i < g.gl_pathc; i++) {
		const char *shown = g.gl_pathv[i] + rl;
		if (conf_is_custom(shown))
			json_array_append_new(custom, json_string(shown));
	}
	globfree(&g);
}

/* "LD_LIBRARY_PATH=..." or "export LD_PRELOAD=..." lines of a shell or environment file */
static void scan_variables(const char *path, json_t *used)
{
	_cleanup_free_ char *data = NULL;
	size_t len;
	if (fs_root_read(path, 1u << 20, &data, &len) < 0)
		return;
	static const char *const vars[] = {"LD_LIBRARY_PATH", "LD_PRELOAD"};
	int lineno = 0;
	for (char *cur = data; cur; lineno++) {
		char *nl = strchr(cur, '\n');
		if (nl)
			*nl = 0;
		char *l = strip(cur);
		if (!strncmp(l, "export ", 7))
			l = strip(l + 7);
		for (size_t v = 0; v < ELEMENTSOF(vars); v++) {
			size_t n = strlen(vars[v]);
			if (!strncmp(l, vars[v], n) && l[n] == '=')
				json_array_append_new(used, json_pack("{s:s, s:s, s:i, s:s}", "name", vars[v], "file", path,
								      "line", lineno + 1, "value", l + n + 1));
		}
		cur = nl ? nl + 1 : NULL;
	}
}

static void scan_shell_files(json_t *used)
{
	static const char *const files[] = {"/etc/environment", "/etc/profile", "/etc/bashrc", "/etc/csh.cshrc",
					    "/etc/sysconfig/init"};
	for (size_t i = 0; i < ELEMENTSOF(files); i++)
		scan_variables(files[i], used);
	/* listed inside the root, like the files are read (sorted) */
	char **names = NULL;
	int n = fs_root_dir_list("/etc/profile.d", ".sh", &names);
	for (int i = 0; i < n; i++)
		if (strlen(names[i]) > 3) {
			_cleanup_free_ char *p = xasprintf("/etc/profile.d/%s", names[i]);
			scan_variables(p, used);
		}
	fs_strv_free(names);
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *lines = json_array(), *custom = json_array(), *used = json_array(), *preload = json_array();
	_cleanup_free_ char *data = NULL;
	size_t len;
	int r = fs_root_read("/etc/ld.so.conf", 1u << 20, &data, &len);
	if (r < 0)
		actor_warning("/etc/ld.so.conf: %s", strerror(-r));
	for (char *save = NULL, *l = r == 0 ? strtok_r(data, "\n", &save) : NULL; l; l = strtok_r(NULL, "\n", &save)) {
		l = strip(l);
		if (!*l || *l == '#')
			continue;
		if (!strncmp(l, "include", 7) && isspace((unsigned char)l[7]))
			scan_includes(strip(l + 8), custom);
		else
			json_array_append_new(lines, json_string(l));
	}
	_cleanup_free_ char *pre = NULL;
	if (fs_root_read("/etc/ld.so.preload", 1u << 20, &pre, &len) == 0)
		for (char *save = NULL, *l = strtok_r(pre, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
			l = strip(l);
			if (*l && *l != '#')
				json_array_append_new(preload, json_string(l));
		}
	scan_shell_files(used);
	actor_produce("DynamicLinkerConfiguration",
		      json_pack("{s:o, s:o, s:o, s:o}", "main_config_lines", lines, "custom_configs", custom, "used_variables",
				used, "preload", preload));
	return actor_finish();
}

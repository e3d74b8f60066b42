/* FactsCollection: the repository files and dnf.conf, read with dnf's rules. */
#include <strings.h>

#include "fs.h"
#include "sys.h"
#include "fetch.h"
#include "leapp/actor.h"
#include "leapp/ini.h"

struct dnfconf {
	json_t *exclude, *installonlypkgs;
	char *releasever, *reposdir;
	long long installonly_limit;
	bool gpgcheck;
};

static bool parse_bool(const char *v, bool def)
{
	if (!strcasecmp(v, "1") || !strcasecmp(v, "yes") || !strcasecmp(v, "true") || !strcasecmp(v, "on"))
		return true;
	if (!strcasecmp(v, "0") || !strcasecmp(v, "no") || !strcasecmp(v, "false") || !strcasecmp(v, "off"))
		return false;
	return def;
}

static void append_list(json_t *a, const char *value)
{
	size_t n;
	char **v = repofile_list_split(value, &n);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	strv_free_n(v, n);
}

static int dnfconf_cb(const char *section, const char *key, const char *value, int line, void *userdata)
{
	struct dnfconf *c = userdata;
	if (!key || strcmp(section, "main"))
		return 0;
	if (!strcmp(key, "exclude") || !strcmp(key, "excludepkgs"))
		append_list(c->exclude, value);
	else if (!strcmp(key, "installonlypkgs"))
		append_list(c->installonlypkgs, value);
	else if (!strcmp(key, "installonly_limit"))
		c->installonly_limit = strtoll(value, NULL, 10);
	else if (!strcmp(key, "releasever")) {
		free(c->releasever);
		c->releasever = xstrdup(value);
	} else if (!strcmp(key, "reposdir")) {
		free(c->reposdir);
		c->reposdir = xstrdup(value);
	} else if (!strcmp(key, "gpgcheck"))
		c->gpgcheck = parse_bool(value, true);
	return 0;
}

/* Parse every *.repo file of one repository directory, in name order as dnf lists them. */
static void scan_dir(const char *dir, const struct repo_vars *vars, bool gpgcheck, json_t *out)
{
	/* listed and opened inside the root: a symlinked reposdir or repo file resolves there */
	char **names = NULL;
	int n = fs_root_dir_list(dir, ".repo", &names); /* sorted */
	for (int i = 0; i < n; i++) {
		_cleanup_free_ char *shown = path_join(dir, names[i]);
		_cleanup_free_ char *path = NULL;
		if (names[i][0] == '.' || fs_root_host_path(shown, &path) < 0)
			continue;
		struct repo_file *f = NULL;
		_cleanup_free_ char *err = NULL;
		if (repofile_parse(path, shown, vars, gpgcheck, &f, &err) < 0) {
			/* dnf refuses to run with a repository file it cannot parse */
			_cleanup_free_ char *summary =
				xasprintf("dnf cannot read the repository file %s, so no package operation would work: %s", shown, err);
			json_t *e = report_new("A repository file is invalid", summary, "high");
			report_add_group(e, "inhibitor");
			report_add_group(e, "repository");
			_cleanup_free_ char *hint = xasprintf("Fix %s, or remove it if the repositories it defines are not used.", shown);
			report_add_hint(e, hint);
			report_add_resource(e, "file", shown);
			actor_report(e);
		} else {
			json_array_append_new(out, repofile_to_json(f));
			repofile_free(f);
		}
	}
	fs_strv_free(names);
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	struct dnfconf c = {.exclude = json_array(), .installonlypkgs = json_array(), .installonly_limit = 3, .gpgcheck = true};
	_cleanup_free_ char *data = NULL;
	size_t len;
	/* an admin's dnf.conf for the upgrade (upstream's /etc/leapp/files/dnf.conf) replaces the
	 * system's for the target transaction; it becomes /etc/dnf/dnf.conf after the upgrade */
	const char *conf = "/etc/leapp/files/dnf.conf";
	int r = fs_root_read(conf, 4u << 20, &data, &len);
	if (r == -ENOENT) {
		conf = "/etc/dnf/dnf.conf";
		r = fs_root_read(conf, 4u << 20, &data, &len);
	} else if (r == 0)
		actor_info("%s is the dnf configuration of the upgrade", conf);
	if (r == 0) {
		int line = 0;
		if (ini_parse(data, len, dnfconf_cb, &c, &line) < 0)
			actor_warning("%s:%d: not valid INI syntax; the rest of the file is ignored", conf, line);
	} else if (r != -ENOENT)
		actor_warning("%s: %s", conf, strerror(-r));

	/* $releasever: dnf.conf, else /etc/dnf/vars (read by repofile_vars_init), else the major
	 * version, as the distributions' release packages provide system-release(releasever) */
	json_t *ipu = ipu_config_get();
	_cleanup_free_ char *releasever = NULL;
	if (c.releasever)
		releasever = xstrdup(c.releasever);
	else if (ipu)
		releasever = xasprintf("%d", ipu_source_major(ipu));
	const char *arch = ipu_str(ipu, "architecture");
	const char *basearch = !arch ? NULL : !strcmp(arch, "i686") ? "i386" : !strcmp(arch, "armv7hl") ? "armhfp" : arch;
	struct repo_vars vars = {0};
	repofile_vars_init(&vars, actor_root(), releasever, basearch);

	json_t *files = json_array();
	if (c.reposdir) {
		size_t n;
		char **dirs = repofile_list_split(c.reposdir, &n);
		for (size_t i = 0; i < n; i++)
			scan_dir(dirs[i], &vars, c.gpgcheck, files);
		strv_free_n(dirs, n);
	} else {
		static const char *const dirs[] = {"/etc/yum.repos.d", "/etc/yum/repos.d", "/etc/distro.repos.d"};
		for (size_t i = 0; i < ELEMENTSOF(dirs); i++)
			scan_dir(dirs[i], &vars, c.gpgcheck, files);
	}
	actor_info("%zu repository files", json_array_size(files));
	actor_produce("RepositoriesFacts", json_pack("{s:o}", "repositories", files));
	actor_produce("DNFConfig", json_pack("{s:o, s:s?, s:o, s:I}", "exclude", c.exclude, "releasever", c.releasever,
					     "installonlypkgs", c.installonlypkgs, "installonly_limit",
					     (json_int_t)c.installonly_limit));
	repofile_vars_clear(&vars);
	free(c.releasever);
	free(c.reposdir);
	json_decref(ipu);
	return actor_finish();
}

/* FactsCollection: the SELinux policy the admin added to the packaged one. The target's
 * selinux-policy rebuilds the policy in its %post, which fails on (or silently loses) modules
 * written for the old policy; they are removed before the RPM transaction and put back after
 * it. Read from the module store's files instead of semodule/semanage (upstream
 * selinuxcontentscanner runs those), so it works under --root:
 *   <store>/modules/<priority>/<name>/{hll,lang_ext}   (100: selinux-policy, 200: packages)
 *   <store>/{file_contexts,booleans,ports,seusers}.local and the other .local files */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sys.h"
#include "leapp/actor.h"
#include "leapp/util.h"
#include "fs.h"

static const char *const udica[] = {"base_container", "config_container", "home_container",
				    "log_container",  "net_container",    "tmp_container",
				    "tty_container",  "virt_container",   "x_container"};

static bool is_udica(const char *n)
{
	for (size_t i = 0; i < sizeof(udica) / sizeof(udica[0]); i++)
		if (!strcmp(n, udica[i]))
			return true;
	return false;
}

static void scan_modules(const char *store, json_t *mods, json_t *templates)
{
	_cleanup_free_ char *mdir = xasprintf("%s/modules", store);
	char **prios = NULL;
	if (fs_root_dir_list(mdir, NULL, &prios) > 0)
		for (char **p = prios; *p; p++) {
			char *end;
			long prio = strtol(*p, &end, 10);
			if (*end || prio <= 0 || prio > 999 || prio == 100 || prio == 200)
				continue;
			_cleanup_free_ char *pdir = xasprintf("%s/%s", mdir, *p);
			char **names = NULL;
			if (fs_root_dir_list(pdir, NULL, &names) > 0)
				for (char **n = names; *n; n++) {
					_cleanup_free_ char *hll = xasprintf("%s/%s/hll", pdir, *n);
					_cleanup_free_ char *lx = xasprintf("%s/%s/lang_ext", pdir, *n);
					_cleanup_free_ char *ext = NULL;
					if (fs_root_read(lx, 64, &ext, NULL) < 0)
						ext = xstrdup("pp");
					json_t *m = json_pack("{s:s, s:I, s:s, s:s}", "name", *n, "priority", (json_int_t)prio,
							      "lang_ext", str_strip(ext), "source", hll);
					json_array_append_new(is_udica(*n) ? templates : mods, m);
				}
			fs_strv_free(names);
		}
	fs_strv_free(prios);
}

static const char *const fc_types[][2] = {{"--", "f"}, {"-d", "d"}, {"-l", "l"}, {"-s", "s"},
					  {"-c", "c"}, {"-b", "b"}, {"-p", "p"}};

/* one .local line as a 'semanage import' line; NULL when it cannot be carried over */
static char *import_line(const char *kind, char *line)
{
	char *tok[8] = {0};
	int n = 0;
	char *save = NULL;
	for (char *t = strtok_r(line, " \t", &save); t && n < 8; t = strtok_r(NULL, " \t", &save))
		tok[n++] = t;
	if (!strcmp(kind, "fcontext") && (n == 2 || n == 3)) {
		const char *ft = "a";
		for (size_t i = 0; n == 3 && i < 7; i++)
			if (!strcmp(tok[1], fc_types[i][0]))
				ft = fc_types[i][1];
		const char *ctx = tok[n - 1];
		if (!strcmp(ctx, "<<none>>"))
			return xasprintf("fcontext -a -f %s -t '<<none>>' '%s'", ft, tok[0]);
		/* user:role:type:range */
		char *c2 = strchr(ctx, ':'), *c3 = c2 ? strchr(c2 + 1, ':') : NULL, *c4 = c3 ? strchr(c3 + 1, ':') : NULL;
		if (!c3)
			return NULL;
		_cleanup_free_ char *type = c4 ? xstrndup(c3 + 1, (size_t)(c4 - c3 - 1)) : xstrdup(c3 + 1);
		return c4 ? xasprintf("fcontext -a -f %s -t %s -r '%s' '%s'", ft, type, c4 + 1, tok[0])
			  : xasprintf("fcontext -a -f %s -t %s '%s'", ft, type, tok[0]);
	}
	if (!strcmp(kind, "boolean") && n == 1) {
		char *eq = strchr(tok[0], '=');
		if (!eq || (strcmp(eq + 1, "0") && strcmp(eq + 1, "1")))
			return NULL;
		*eq = 0;
		return xasprintf("boolean -m -%s %s", eq + 1, tok[0]);
	}
	if (!strcmp(kind, "port") && n == 4 && !strcmp(tok[0], "portcon")) {
		char *c2 = strchr(tok[3], ':'), *c3 = c2 ? strchr(c2 + 1, ':') : NULL, *c4 = c3 ? strchr(c3 + 1, ':') : NULL;
		if (!c4)
			return NULL;
		_cleanup_free_ char *type = xstrndup(c3 + 1, (size_t)(c4 - c3 - 1));
		return xasprintf("port -a -t %s -r '%s' -p %s %s", type, c4 + 1, tok[1], tok[2]);
	}
	if (!strcmp(kind, "login") && n == 1) {
		char *c1 = strchr(tok[0], ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (!c1)
			return NULL;
		*c1 = 0;
		if (c2)
			*c2 = 0;
		return c2 ? xasprintf("login -a -s %s -r '%s' '%s'", c1 + 1, c2 + 1, tok[0])
			  : xasprintf("login -a -s %s '%s'", c1 + 1, tok[0]);
	}
	return NULL;
}

static void scan_local(const char *store, json_t *out)
{
	static const char *const kinds[][2] = {{"file_contexts.local", "fcontext"}, {"booleans.local", "boolean"},
					       {"ports.local", "port"},            {"seusers.local", "login"},
					       {"users.local", NULL},              {"users_extra.local", NULL},
					       {"nodes.local", NULL},              {"interfaces.local", NULL},
					       {"ibpkeys.local", NULL},            {"ibendports.local", NULL}};
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		_cleanup_free_ char *f = xasprintf("%s/%s", store, kinds[k][0]);
		_cleanup_free_ char *data = NULL;
		if (fs_root_read(f, 4 << 20, &data, NULL) < 0)
			continue;
		for (const char *l = data; l && *l;) {
			const char *nl = strchr(l, '\n');
			_cleanup_free_ char *raw = nl ? xstrndup(l, (size_t)(nl - l)) : xstrdup(l);
			l = nl ? nl + 1 : NULL;
			char *s = str_strip(raw);
			if (!*s || *s == '#')
				continue;
			_cleanup_free_ char *copy = xstrdup(s);
			_cleanup_free_ char *imp = kinds[k][1] ? import_line(kinds[k][1], copy) : NULL;
			json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:s?}", "kind",
							     kinds[k][1] ? kinds[k][1] : kinds[k][0], "file", f, "line", s,
							     "import_line", imp));
		}
	}
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *se = actor_consume_last("SELinuxFacts");
	const char *policy = json_string_value(json_object_get(se, "policy")) ?: "targeted";
	_cleanup_free_ char *store = NULL;
	const char *const bases[] = {"/var/lib/selinux", "/etc/selinux"};
	for (size_t i = 0; i < 2 && !store; i++) {
		_cleanup_free_ char *s = xasprintf("%s/%s/active", bases[i], policy);
		struct stat st;
		if (fs_root_stat(s, true, &st) == 0 && S_ISDIR(st.st_mode))
			store = TAKE_PTR(s);
	}
	json_t *mods = json_array(), *templates = json_array(), *custom = json_array();
	if (store) {
		scan_modules(store, mods, templates);
		scan_local(store, custom);
	}
	actor_produce("SELinuxCustom", json_pack("{s:s?, s:o, s:o, s:o}", "store", store, "modules", mods, "templates",
						 templates, "customizations", custom));
	json_decref(se);
	return actor_finish();
}

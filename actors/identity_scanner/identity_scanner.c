/* FactsCollection: what release 9 changes in identity and trust: IdM servers cannot be
 * upgraded in place, sssd no longer enables the implicit files domain, NIS is gone, and the CA
 * trust "blacklist" directories are named "blocklist" (upstream ipascanner, sssdfacts,
 * nisscanner, scanblacklistca). */
#include <errno.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "sys.h"
#include "leapp/actor.h"
#include "leapp/util.h"
#include "fs.h"

static bool is_file(const char *abs_path)
{
	struct stat st;
	return fs_root_stat(abs_path, true, &st) == 0 && S_ISREG(st.st_mode);
}

/* the value of KEY in [SECTION] of an INI file (sssd.conf); NULL when absent */
static char *ini_get(const char *data, const char *section, const char *key, bool section_prefix)
{
	char *found = NULL;
	bool in = false;
	for (const char *l = data; l && *l;) {
		const char *nl = strchr(l, '\n');
		_cleanup_free_ char *line = nl ? xstrndup(l, (size_t)(nl - l)) : xstrdup(l);
		l = nl ? nl + 1 : NULL;
		char *s = str_strip(line);
		if (*s == '#' || *s == ';' || !*s)
			continue;
		if (*s == '[') {
			char *end = strchr(s, ']');
			if (end)
				*end = 0;
			char *name = str_strip(s + 1);
			in = section_prefix ? str_startswith(name, section) : !strcmp(name, section);
			continue;
		}
		char *eq = strchr(s, '=');
		if (!in || !eq)
			continue;
		*eq = 0;
		if (strcmp(str_strip(s), key))
			continue;
		free(found);
		found = xstrdup(str_strip(eq + 1));
		if (section_prefix && !strcmp(found, "files"))
			break;
	}
	return found;
}

static bool ini_true(const char *v)
{
	return v && (!strcasecmp(v, "true") || !strcasecmp(v, "yes") || !strcmp(v, "1") || !strcasecmp(v, "on"));
}

/* /etc/yp.conf with a line that is not a comment */
static bool ypbind_configured(void)
{
	_cleanup_free_ char *data = NULL;
	if (fs_root_read("/etc/yp.conf", 1 << 20, &data, NULL) < 0)
		return false;
	for (const char *l = data; l && *l;) {
		const char *nl = strchr(l, '\n');
		_cleanup_free_ char *line = nl ? xstrndup(l, (size_t)(nl - l)) : xstrdup(l);
		l = nl ? nl + 1 : NULL;
		char *s = str_strip(line);
		if (*s && *s != '#')
			return true;
	}
	return false;
}

/* /var/yp with anything beside what ypserv installs */
static bool ypserv_configured(void)
{
	char **names = NULL;
	bool any = false;
	if (fs_root_dir_list("/var/yp", NULL, &names) > 0)
		for (char **p = names; *p && !any; p++)
			any = strcmp(*p, "binding") && strcmp(*p, "Makefile") && strcmp(*p, "nicknames");
	fs_strv_free(names);
	return any;
}

/* every file and link under DIR (depth-limited), as paths in the root */
static void list_tree(const char *dir, json_t *out, int depth)
{
	char **names = NULL;
	if (depth > 8 || fs_root_dir_list(dir, NULL, &names) <= 0) {
		fs_strv_free(names);
		return;
	}
	for (char **p = names; *p; p++) {
		_cleanup_free_ char *rel = xasprintf("%s/%s", dir, *p);
		struct stat st;
		if (fs_root_stat(rel, false, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode))
			list_tree(rel, out, depth + 1);
		else if (S_ISREG(st.st_mode) || S_ISLNK(st.st_mode))
			json_array_append_new(out, json_string(rel));
	}
	fs_strv_free(names);
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	bool client = is_file("/etc/ipa/default.conf") && is_file("/var/lib/ipa-client/sysrestore/sysrestore.state");
	bool server = client && is_file("/var/lib/ipa/sysrestore/sysrestore.state");
	_cleanup_free_ char *sssd = NULL;
	int r = fs_root_read("/etc/sssd/sssd.conf", 4 << 20, &sssd, NULL);
	if (r < 0 && r != -ENOENT)
		actor_warning("/etc/sssd/sssd.conf: cannot read it: %s", strerror(-r));
	_cleanup_free_ char *efd = sssd ? ini_get(sssd, "sssd", "enable_files_domain", false) : NULL;
	_cleanup_free_ char *cert = sssd ? ini_get(sssd, "pam", "pam_cert_auth", false) : NULL;
	_cleanup_free_ char *idp = sssd ? ini_get(sssd, "domain/", "id_provider", true) : NULL;
	json_t *nis = json_array();
	if (ypserv_configured())
		json_array_append_new(nis, json_string("ypserv"));
	if (ypbind_configured())
		json_array_append_new(nis, json_string("ypbind"));
	json_t *ca = json_array();
	list_tree("/etc/pki/ca-trust/source/blacklist", ca, 0);
	list_tree("/usr/share/pki/ca-trust-source/blacklist", ca, 0);
	actor_produce("IdentityFacts",
		      json_pack("{s:b, s:b, s:b, s:b, s:b, s:b, s:o, s:o}", "ipa_client_configured", client,
				"ipa_server_configured", server, "sssd_present", sssd != NULL, "sssd_enable_files_domain_set",
				efd != NULL, "sssd_explicit_files_domain", idp && !strcmp(idp, "files"), "sssd_pam_cert_auth",
				ini_true(cert), "nis_configured", nis, "blacklist_ca", ca));
	return actor_finish();
}

/* FactsCollection: what in /etc/firewalld release 9's firewalld no longer accepts: the
 * AllowZoneDrifting option and the tftp-client service (upstream firewalldcollect*). */
#include <string.h>
#include <strings.h>

#include "sys.h"
#include "leapp/actor.h"
#include "leapp/util.h"
#include "fs.h"

#define FW_CONF "/etc/firewalld/firewalld.conf"

/* does a zone or policy file name the service, as <service name="S"/> (also inside rich rules)? */
static bool xml_uses_service(const char *xml, const char *service)
{
	for (const char *p = strstr(xml, "<service"); p; p = strstr(p + 1, "<service")) {
		const char *end = strchr(p, '>');
		if (!end)
			break;
		_cleanup_free_ char *tag = xstrndup(p, (size_t)(end - p));
		const char *n = strstr(tag, "name=");
		if (!n || (n[5] != '"' && n[5] != '\''))
			continue;
		const char *v = n + 6, *q = strchr(v, n[5]);
		if (q && (size_t)(q - v) == strlen(service) && !strncmp(v, service, (size_t)(q - v)))
			return true;
	}
	return false;
}

static void scan_dir(const char *dir, json_t *users)
{
	char **names = NULL;
	if (fs_root_dir_list(dir, ".xml", &names) > 0)
		for (char **p = names; *p; p++) {
			_cleanup_free_ char *f = xasprintf("%s/%s", dir, *p);
			_cleanup_free_ char *xml = NULL;
			if (fs_root_read(f, 4 << 20, &xml, NULL) < 0) {
				actor_warning("%s: cannot read it", f);
				continue;
			}
			if (xml_uses_service(xml, "tftp-client"))
				json_array_append_new(users, json_string(f));
		}
	fs_strv_free(names);
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	_cleanup_free_ char *conf = NULL;
	bool present = fs_root_read(FW_CONF, 1 << 20, &conf, NULL) == 0;
	bool drifting = false;
	if (present) {
		_cleanup_free_ char *v = sys_kv_get(conf, "AllowZoneDrifting", true);
		drifting = v && (!strcasecmp(v, "yes") || !strcasecmp(v, "true"));
	}
	json_t *users = json_array();
	scan_dir("/etc/firewalld/zones", users);
	scan_dir("/etc/firewalld/policies", users);
	actor_produce("FirewalldFacts", json_pack("{s:b, s:b, s:o}", "config_present", present, "allow_zone_drifting",
						 drifting, "tftp_client_users", users));
	return actor_finish();
}

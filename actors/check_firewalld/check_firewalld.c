/* Checks: firewalld of release 9 dropped the AllowZoneDrifting option (it behaves as "no") and
 * the tftp-client service (a zone naming it fails to load). Upstream
 * firewalldcheckallowzonedrifting and firewalldcheckservicetftpclient. */
#include <string.h>

#include "sys.h"
#include "leapp/actor.h"
#include "leapp/util.h"

static bool unit_enabled(json_t *units, const char *unit)
{
	size_t i;
	json_t *u;
	json_array_foreach(json_object_get(units, "enabled"), i, u)
		if (!strcmp(json_string_value(u) ?: "", unit))
			return true;
	return false;
}

static void report_drifting(void)
{
	json_t *e = report_new(
		"Firewalld Configuration AllowZoneDrifting Is Unsupported",
		"firewalld is enabled and /etc/firewalld/firewalld.conf sets AllowZoneDrifting=yes (release 8's default). "
		"Release 9's firewalld has no such option and always behaves as with AllowZoneDrifting=no: traffic "
		"from a source assigned to one zone no longer falls through to the zone of the interface, so rules "
		"the machine relies on today may stop applying.",
		"high");
	report_add_group(e, "sanity");
	report_add_group(e, "firewall");
	report_add_group(e, "inhibitor");
	report_add_hint(e, "Set AllowZoneDrifting=no in /etc/firewalld/firewalld.conf, check that the zones still do "
			   "what you need (firewall-cmd --reload), then run the upgrade again.");
	static const char *const cmd[] = {"sed", "-i", "s/^AllowZoneDrifting=.*/AllowZoneDrifting=no/",
					  "/etc/firewalld/firewalld.conf", NULL};
	report_add_command(e, cmd);
	report_add_resource(e, "file", "/etc/firewalld/firewalld.conf");
	report_add_external(e, "https://access.redhat.com/articles/4855631", "Changes in firewalld related to Zone Drifting");
	actor_report(e);
}

static void report_tftp(json_t *users)
{
	struct buf list = {0};
	json_t *e = report_new("Firewalld Service tftp-client Is Unsupported", NULL, "high");
	size_t i;
	json_t *f;
	json_array_foreach(users, i, f) {
		const char *file = json_string_value(f);
		buf_printf(&list, "\n    - %s", file);
		report_add_resource(e, "file", file);
		/* /etc/firewalld/zones/NAME.xml -> firewall-cmd --permanent --zone NAME --remove-service tftp-client */
		const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
		_cleanup_free_ char *name = xstrndup(base, strlen(base) - (str_endswith(base, ".xml") ? 4 : 0));
		bool policy = strstr(file, "/policies/") != NULL;
		const char *cmd[] = {"firewall-cmd", "--permanent", policy ? "--policy" : "--zone", name,
				     "--remove-service", "tftp-client", NULL};
		report_add_command(e, cmd);
	}
	buf_append(&list, "", 0);
	_cleanup_free_ char *summary = xasprintf(
		"Release 9's firewalld has no tftp-client service, and a zone or policy that names it fails to load. "
		"These files use it (as a service or in a rich rule):%s",
		list.data);
	json_object_set_new(e, "summary", json_string(summary));
	report_add_group(e, "sanity");
	report_add_group(e, "firewall");
	report_add_group(e, "inhibitor");
	report_add_hint(e, "Remove the tftp-client service from these zones and policies (the commands below; a rich "
			   "rule naming it must be removed with --remove-rich-rule), or open the TFTP client port with a "
			   "service of your own, then run the upgrade again.");
	actor_report(e);
	buf_free(&list);
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *fw = actor_consume_last("FirewalldFacts");
	json_t *units = actor_consume_last("SystemdUnits");
	json_t *ipu = ipu_config_get();
	if (fw && ipu_target_major(ipu) >= 9) {
		if (json_is_true(json_object_get(fw, "allow_zone_drifting")) && unit_enabled(units, "firewalld.service"))
			report_drifting();
		if (json_array_size(json_object_get(fw, "tftp_client_users")))
			report_tftp(json_object_get(fw, "tftp_client_users"));
	}
	json_decref(fw);
	json_decref(units);
	json_decref(ipu);
	return actor_finish();
}

/* Checks: identity and trust for release 9 (upstream checkipaserver, sssdcheck (8to9),
 * nischeck, checkblacklistca: their titles and severities). */
#include <string.h>

#include "sys.h"
#include "leapp/actor.h"
#include "leapp/util.h"

#define IDM_GUIDE "https://red.ht/IdM-upgrading-RHEL-8-to-RHEL-9"

static void check_ipa(json_t *id, json_t *installed)
{
	if (json_is_true(json_object_get(id, "ipa_server_configured"))) {
		json_t *e = report_new("ipa-server does not support in-place upgrade",
				       "This machine is an IdM (FreeIPA) server. IdM servers cannot be upgraded in "
				       "place: a server of the new release is set up beside it and the data replicated "
				       "to it instead.",
				       "high");
		report_add_group(e, "inhibitor");
		report_add_group(e, "services");
		report_add_hint(e, "Migrate the IdM server as the IdM migration guide describes: install a release 9 "
				   "replica, move the server roles to it, then decommission this server.");
		report_add_external(e, IDM_GUIDE, "IdM migration guide");
		report_add_resource(e, "package", "ipa-server");
		actor_report(e);
	} else if (fact_installed_rpm_has(installed, "ipa-server")) {
		json_t *e = report_new("ipa-server package is installed but no IdM is configured",
				       json_is_true(json_object_get(id, "ipa_client_configured"))
					       ? "The ipa-server package is installed, but this machine is only an IdM "
						 "client."
					       : "The ipa-server package is installed, but this machine is neither an IdM "
						 "server nor a client.",
				       "medium");
		report_add_group(e, "services");
		report_add_hint(e, "Remove the unused ipa-server package before the upgrade.");
		static const char *const cmd[] = {"dnf", "remove", "-y", "ipa-server", NULL};
		report_add_command(e, cmd);
		report_add_external(e, IDM_GUIDE, "IdM migration guide");
		report_add_resource(e, "package", "ipa-server");
		actor_report(e);
	}
}

static void check_sssd(json_t *id)
{
	if (!json_is_true(json_object_get(id, "sssd_present")) ||
	    json_is_true(json_object_get(id, "sssd_enable_files_domain_set")) ||
	    json_is_true(json_object_get(id, "sssd_explicit_files_domain")) ||
	    !json_is_true(json_object_get(id, "sssd_pam_cert_auth")))
		return;
	json_t *e = report_new("SSSD implicit files domain is now disabled by default.",
			       "Release 9's sssd no longer adds the implicit files domain ([sssd] enable_files_domain "
			       "defaults to false). This machine uses smartcard authentication (pam_cert_auth) without "
			       "an explicit files domain, so smartcard logins of local users would stop working.",
			       "medium");
	report_add_group(e, "authentication");
	report_add_group(e, "security");
	report_add_hint(e, "If local users log in with smartcards, set enable_files_domain = true in the [sssd] "
			   "section of /etc/sssd/sssd.conf and run 'authselect enable-feature with-files-domain'.");
	report_add_resource(e, "package", "sssd");
	report_add_resource(e, "file", "/etc/sssd/sssd.conf");
	actor_report(e);
}

static void check_nis(json_t *id, json_t *signed_rpms)
{
	json_t *pkgs = json_array();
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(id, "nis_configured"), i, p)
		if (fact_installed_rpm_has(signed_rpms, json_string_value(p)))
			json_array_append(pkgs, p);
	if (json_array_size(pkgs)) {
		json_t *e = report_new("NIS component has been detected on your system",
				       "Release 9 no longer ships NIS (ypserv, ypbind, yp-tools): its design is not "
				       "considered secure any more, and nothing replaces it with the same features. The "
				       "NIS services configured here would be gone after the upgrade.",
				       "medium");
		report_add_group(e, "services");
		report_add_hint(e, "Move the machine to LDAP (sssd), Kerberos or IdM before the upgrade.");
		report_add_external(e, "https://access.redhat.com/solutions/5991271", "RHEL 9 (NIS) discontinuation");
		json_array_foreach(pkgs, i, p)
			report_add_resource(e, "package", json_string_value(p));
		actor_report(e);
	}
	json_decref(pkgs);
}

static void check_blacklist(json_t *id)
{
	json_t *files = json_object_get(id, "blacklist_ca");
	if (!json_array_size(files))
		return;
	struct buf list = {0};
	size_t i;
	json_t *f;
	json_t *e = report_new("Distrusted CA certificates will be moved from blacklist to blocklist", NULL, "info");
	json_array_foreach(files, i, f) {
		buf_printf(&list, "\n    - %s", json_string_value(f));
		report_add_resource(e, "file", json_string_value(f));
	}
	buf_append(&list, "", 1);
	_cleanup_free_ char *summary = xasprintf(
		"Release 9 names the directories of distrusted CA certificates blocklist instead of blacklist "
		"(/etc/pki/ca-trust/source/blocklist, /usr/share/pki/ca-trust-source/blocklist). The upgrade moves "
		"these certificates there and removes the blacklist directories:%s",
		list.data);
	json_object_set_new(e, "summary", json_string(summary));
	report_add_group(e, "security");
	report_add_group(e, "authentication");
	actor_report(e);
	buf_free(&list);
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *id = actor_consume_last("IdentityFacts");
	json_t *signed_rpms = actor_consume_last("DistributionSignedRPM");
	json_t *installed = actor_consume_last("InstalledRPM");
	json_t *ipu = ipu_config_get();
	if (id) {
		check_ipa(id, installed);
		if (ipu_target_major(ipu) == 9) {
			check_sssd(id);
			check_nis(id, signed_rpms);
			check_blacklist(id);
		}
	}
	json_decref(id);
	json_decref(signed_rpms);
	json_decref(installed);
	json_decref(ipu);
	return actor_finish();
}

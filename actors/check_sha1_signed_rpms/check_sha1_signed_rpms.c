/* Checks: release 9's rpm cannot verify RSA/SHA1 signatures under its DEFAULT crypto policy,
 * and the upgrade transaction dies half way when it meets such a header (oamg/leapp#783).
 * Installed packages signed that way inhibit the upgrade unless the policy already allows
 * SHA-1 (LEGACY, DEFAULT:SHA1); otherwise they are still reported (upstream
 * checkdeprecatedrpmsignature). */
#include <string.h>
#include <strings.h>

#include "sys.h"
#include "leapp/actor.h"

static bool signed_sha1(json_t *p)
{
	const char *algo = json_string_value(json_object_get(p, "digest_algo"));
	const char *sig = json_string_value(json_object_get(p, "pgpsig"));
	return (algo && !strcasecmp(algo, "SHA1")) || (sig && strstr(sig, "SHA1,"));
}

/* LEGACY, or a policy with the SHA1 module on DEFAULT (as upstream: others cannot be set in the
 * target userspace reliably) */
static bool sha1_allowed(const char *policy)
{
	return policy && (!strcmp(policy, "LEGACY") || strstr(policy, "DEFAULT:SHA1"));
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *rpms = actor_consume_last("InstalledRPM");
	json_t *cpi = actor_consume_last("CryptoPolicyInfo");
	json_t *ipu = ipu_config_get();
	const char *policy = json_string_value(json_object_get(cpi, "current_policy"));
	struct buf list = {0};
	json_t *e = report_new("Detected RPMs with RSA/SHA1 signature", NULL, "high");
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(rpms, "items"), i, p) {
		if (!signed_sha1(p))
			continue;
		const char *name = json_string_value(json_object_get(p, "name"));
		const char *sig = json_string_value(json_object_get(p, "pgpsig"));
		buf_printf(&list, "\n    - %s-%s-%s.%s (%s)", name, json_string_value(json_object_get(p, "version")),
			   json_string_value(json_object_get(p, "release")), json_string_value(json_object_get(p, "arch")),
			   sig ? sig : "RSA/SHA1");
		report_add_resource(e, "package", name);
	}
	if (list.len && ipu_target_major(ipu) >= 9) {
		buf_append(&list, "", 0);
		bool allowed = sha1_allowed(policy);
		_cleanup_free_ char *summary = xasprintf(
			"Release %d's rpm does not accept SHA-1 signatures under the DEFAULT crypto policy: it cannot read "
			"these packages' headers back from the rpmdb, so the upgrade transaction would fail part way, and "
			"rpm and dnf cannot install, update or remove them afterwards. The current crypto policy is %s%s. "
			"Packages signed with RSA/SHA1:%s",
			ipu_target_major(ipu), policy ? policy : "unknown",
			allowed ? ", which keeps SHA-1 allowed, so the upgrade can go on" : ", which does not allow SHA-1",
			list.data);
		json_object_set_new(e, "summary", json_string(summary));
		report_add_group(e, "security");
		report_add_group(e, "sanity");
		if (!allowed)
			report_add_group(e, "inhibitor");
		report_add_hint(e, "Install builds of these packages signed with SHA-256 or stronger (ask their vendor), "
				   "or remove them before the upgrade. Allowing SHA-1 with 'update-crypto-policies --set "
				   "LEGACY' (or DEFAULT:SHA1 with a SHA1 policy module) lets the upgrade go on, at the "
				   "cost of weaker security.");
		report_add_external(e, "https://red.ht/rhel-9-security-considerations",
				    "Security Considerations in adopting RHEL 9");
		actor_report(e);
	} else
		json_decref(e);
	buf_free(&list);
	json_decref(rpms);
	json_decref(cpi);
	json_decref(ipu);
	return actor_finish();
}

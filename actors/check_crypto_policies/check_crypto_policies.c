/* Checks: a crypto policy other than DEFAULT may be an old decision that no longer meets
 * today's standards; the upgrade keeps it (the target userspace runs under it, and the target
 * system keeps /etc/crypto-policies), so the admin should review it. FIPS is left to the FIPS
 * checks. Upstream cryptopoliciescheck (its title and severity; upstream also leaves FUTURE
 * out, the issue asks for it). */
#include <string.h>

#include "sys.h"
#include "leapp/actor.h"
#include "leapp/util.h"

static const char *const builtin[] = {"DEFAULT", "LEGACY", "FUTURE", "FIPS", "EMPTY"};

static bool is_builtin(const char *base)
{
	for (size_t i = 0; i < sizeof(builtin) / sizeof(builtin[0]); i++)
		if (!strcmp(base, builtin[i]))
			return true;
	return false;
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *cpi = actor_consume_last("CryptoPolicyInfo");
	json_t *ipu = ipu_config_get();
	const char *policy = json_string_value(json_object_get(cpi, "current_policy"));
	if (policy && strcmp(policy, "DEFAULT") && strcmp(policy, "FIPS") && !str_startswith(policy, "FIPS:") &&
	    ipu_target_major(ipu) >= 9) {
		_cleanup_free_ char *base = xstrndup(policy, strcspn(policy, ":"));
		struct buf files = {0};
		json_t *e = report_new("System-wide crypto policy is set to non-DEFAULT policy", NULL, "medium");
		static const char *const lists[] = {"custom_policies", "custom_modules"};
		for (size_t l = 0; l < 2; l++) {
			size_t i;
			json_t *f;
			json_array_foreach(json_object_get(cpi, lists[l]), i, f) {
				buf_printf(&files, "\n    - %s", json_string_value(f));
				report_add_resource(e, "file", json_string_value(f));
			}
		}
		buf_append(&files, "", 1);
		_cleanup_free_ char *summary = xasprintf(
			"The system-wide crypto policy is %s%s. Such a choice may be outdated and weaker than what is "
			"considered secure today. The upgrade keeps it: the target userspace's tools run under it, "
			"and the upgraded system keeps /etc/crypto-policies.%s%s",
			policy, is_builtin(base) ? "" : " (a custom policy)",
			files.len > 1 ? " The admin's own policies and modules, carried over:" : "", files.data);
		json_object_set_new(e, "summary", json_string(summary));
		report_add_group(e, "security");
		report_add_group(e, "sanity");
		report_add_hint(e, "Review the policy (/etc/crypto-policies/state/CURRENT.pol) and, once nothing needs it "
				   "any more, go back to 'update-crypto-policies --set DEFAULT'.");
		report_add_resource(e, "package", "crypto-policies");
		report_add_external(e, "https://red.ht/rhel-9-security-considerations",
				    "Security Considerations in adopting RHEL 9");
		actor_report(e);
		buf_free(&files);
	}
	json_decref(cpi);
	json_decref(ipu);
	return actor_finish();
}

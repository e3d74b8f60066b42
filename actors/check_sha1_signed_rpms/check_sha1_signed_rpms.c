/* Checks: from release 9 on, the DEFAULT crypto policy rejects SHA-1 signatures, so rpm and
 * dnf refuse to verify (reinstall, update) third-party packages signed that way. */
#include <strings.h>

#include "sys.h"
#include "leapp/actor.h"

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *tp = actor_consume_last("ThirdPartyRPM");
	json_t *ipu = ipu_config_get();
	int target = ipu_target_major(ipu);
	struct buf list = {0};
	json_t *e = report_new("Detected RPMs with RSA/SHA1 signature", NULL, "high");
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(tp, "items"), i, p) {
		const char *algo = json_string_value(json_object_get(p, "digest_algo"));
		if (!algo || strcasecmp(algo, "SHA1"))
			continue;
		const char *name = json_string_value(json_object_get(p, "name"));
		buf_printf(&list, "\n- %s-%s-%s.%s (key %s)", name, json_string_value(json_object_get(p, "version")),
			   json_string_value(json_object_get(p, "release")), json_string_value(json_object_get(p, "arch")),
			   json_string_value(json_object_get(p, "key_id")) ?: "unknown");
		report_add_resource(e, "package", name);
	}
	if (list.len && target >= 9) {
		buf_append(&list, "", 0);
		_cleanup_free_ char *summary = xasprintf(
			"The DEFAULT crypto policy of release %d rejects SHA-1 signatures. These packages stay installed, but "
			"rpm and dnf will refuse to verify, reinstall or update them with their current signatures:%s",
			target, list.data);
		json_object_set_new(e, "summary", json_string(summary));
		report_add_group(e, "security");
		report_add_group(e, "sanity");
		report_add_hint(e, "Ask the vendor for packages signed with SHA-256 or stronger. Until then, "
				   "'update-crypto-policies --set DEFAULT:SHA1' after the upgrade accepts SHA-1 again, at the "
				   "cost of weaker security.");
		actor_report(e);
	} else
		json_decref(e);
	buf_free(&list);
	json_decref(tp);
	json_decref(ipu);
	return actor_finish();
}

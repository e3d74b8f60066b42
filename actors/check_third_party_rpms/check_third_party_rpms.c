/* Checks: list the packages the distribution did not sign; the upgrade leaves them as they
 * are (unless PES or the admin says otherwise), so they may break after it. */
#include "sys.h"
#include "leapp/actor.h"

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *tp = actor_consume_last("ThirdPartyRPM");
	json_t *ipu = ipu_config_get();
	json_t *items = json_object_get(tp, "items");
	if (json_array_size(items)) {
		struct buf list = {0};
		size_t i;
		json_t *p;
		json_t *e = report_new("Packages not signed by the distribution vendor found on the system", NULL, "high");
		json_array_foreach(items, i, p) {
			const char *name = json_string_value(json_object_get(p, "name"));
			const char *vendor = json_string_value(json_object_get(p, "vendor"));
			const char *key = json_string_value(json_object_get(p, "key_id"));
			if (!strcmp(name, "gpg-pubkey")) {
				const char *packager = json_string_value(json_object_get(p, "packager"));
				buf_printf(&list, "\n- gpg-pubkey-%s-%s (an imported signing key%s%s)",
					   json_string_value(json_object_get(p, "version")),
					   json_string_value(json_object_get(p, "release")), packager ? ": " : "", packager ? packager : "");
				continue;
			}
			buf_printf(&list, "\n- %s-%s-%s.%s (%s%s", name, json_string_value(json_object_get(p, "version")),
				   json_string_value(json_object_get(p, "release")), json_string_value(json_object_get(p, "arch")),
				   key ? "signed with key " : "unsigned", key ? key : "");
			if (vendor)
				buf_printf(&list, ", vendor %s", vendor);
			buf_append(&list, ")", 1);
			report_add_resource(e, "package", name);
		}
		buf_append(&list, "", 0);
		_cleanup_free_ char *summary = xasprintf(
			"The following packages have not been signed by %s and will not be upgraded: they stay installed as "
			"they are, and may not work on %s %s if they depend on libraries that change:%s",
			ipu_str(ipu, "source_distro") ? ipu_str(ipu, "source_distro") : "the distribution",
			ipu_str(ipu, "target_distro") ? ipu_str(ipu, "target_distro") : "the target",
			ipu_str(ipu, "target_version") ? ipu_str(ipu, "target_version") : "release", list.data);
		json_object_set_new(e, "summary", json_string(summary));
		report_set_key(e, "13f0791ae5f19f50e7d0d606fb6501f91b1efb2c"); /* upstream distributionsignedrpmcheck's */
		report_add_group(e, "sanity");
		report_add_hint(e, "Get builds of these packages for the target release from their vendors, and update "
				   "them after the upgrade; remove the ones you no longer need.");
		actor_report(e);
		buf_free(&list);
	}
	json_decref(tp);
	json_decref(ipu);
	return actor_finish();
}

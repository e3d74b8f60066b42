/* Checks: pam_pkcs11 is gone in release 9 (SSSD replaces it). If the PAM configuration uses
 * it, the admin must agree to remove it, in a dialog as leapp's actor of the same name asks:
 * yes -> remove_pam_pkcs11_module_apply comments it out after the upgrade; no -> inhibit;
 * no answer -> the broker inhibits with the `leapp answer` command. */
#include "sys.h"
#include "leapp/actor.h"

#define SCOPE "remove_pam_pkcs11_module_check"

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *pam = actor_consume_last("PamConfiguration");
	json_t *ipu = ipu_config_get();
	json_t *files = NULL;
	size_t i;
	json_t *m;
	json_array_foreach(json_object_get(pam, "modules"), i, m)
		if (!strcmp(json_string_value(json_object_get(m, "module")) ?: "", "pam_pkcs11"))
			files = json_object_get(m, "files");
	if (!files || ipu_target_major(ipu) < 9) {
		json_decref(pam);
		json_decref(ipu);
		return actor_finish();
	}
	struct buf list = {0};
	json_t *f;
	json_array_foreach(files, i, f)
		buf_printf(&list, "%s%s", i ? ", " : "", json_string_value(f));
	buf_append(&list, "", 0);
	json_t *dialog = json_pack(
		"{s:s, s:s, s:s, s:[{s:s, s:s, s:s, s:s, s:s}]}", "scope", SCOPE, "title", "Disable pam_pkcs11 module in PAM configuration",
		"reason", "Confirmation", "components", "key", "confirm", "type", "bool", "label",
		"Disable pam_pkcs11 module in PAM configuration? If no, the upgrade process will be interrupted.", "description",
		"PAM module pam_pkcs11 is no longer available in release 9 since it was replaced by SSSD.", "reason",
		"Leaving this module in PAM configuration may lock out the system.");
	json_t *ans = actor_dialog(dialog);
	json_t *confirm = json_object_get(ans, "confirm");
	if (json_is_true(confirm)) {
		actor_produce("RemovedPAMModules", json_pack("{s:[s]}", "modules", "pam_pkcs11"));
		_cleanup_free_ char *summary = xasprintf(
			"pam_pkcs11 is not available in release 9 (SSSD replaces it). As you confirmed, the upgrade will "
			"comment it out in: %s.",
			list.data);
		json_t *e = report_new("Module pam_pkcs11 will be removed from PAM configuration", summary, "medium");
		report_add_group(e, "authentication");
		report_add_group(e, "security");
		report_add_hint(e, "Configure smart card authentication with SSSD after the upgrade.");
		report_add_resource(e, "package", "pam_pkcs11");
		actor_report(e);
	} else if (json_is_false(confirm)) {
		_cleanup_free_ char *summary = xasprintf(
			"pam_pkcs11 is not available in release 9 and the PAM configuration uses it (%s); you chose not to "
			"remove it, so the upgrade cannot continue: the upgraded system could lock you out.",
			list.data);
		json_t *e = report_new("Module pam_pkcs11 must be removed from PAM configuration", summary, "high");
		report_add_group(e, "inhibitor");
		report_add_group(e, "authentication");
		report_add_hint(e, "Remove pam_pkcs11 from the PAM configuration yourself, or let leapp do it:");
		static const char *const cmd[] = {"leapp", "answer", "--section", SCOPE ".confirm=True", NULL};
		report_add_command(e, cmd);
		actor_report(e);
	}
	buf_free(&list);
	json_decref(ans);
	json_decref(pam);
	json_decref(ipu);
	return actor_finish();
}

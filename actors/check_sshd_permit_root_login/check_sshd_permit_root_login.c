/* Checks: sshd_config without PermitRootLogin changes meaning in release 9 (the default
 * becomes prohibit-password). Report that sshd_permit_root_login_apply will keep today's
 * behaviour by writing "PermitRootLogin yes" after the upgrade. */
#include "sys.h"
#include "leapp/actor.h"

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *sshd = actor_consume_last("SshdConfig");
	json_t *ipu = ipu_config_get();
	if (sshd_permit_root_login_needed(sshd, ipu_source_major(ipu), ipu_target_major(ipu))) {
		bool in_match = json_array_size(json_object_get(sshd, "permit_root_login")) > 0;
		_cleanup_free_ char *summary = xasprintf(
			"/etc/ssh/sshd_config does not set PermitRootLogin%s. OpenSSH in release %d defaults to "
			"PermitRootLogin prohibit-password, which would stop root from logging in with a password. To keep "
			"the current behaviour, the upgrade will write an explicit \"PermitRootLogin yes\" into "
			"/etc/ssh/sshd_config after the packages are upgraded (also when the upgrade leaves a "
			"sshd_config.rpmnew); the rest of the file, its owner and its mode are kept.",
			in_match ? " outside Match blocks" : "", ipu_target_major(ipu));
		json_t *e = report_new("sshd_config will get an explicit PermitRootLogin yes", summary, "medium");
		report_add_group(e, "authentication");
		report_add_group(e, "security");
		report_add_group(e, "network");
		report_add_group(e, "services");
		report_add_hint(e, "To get release 9's default instead, add \"PermitRootLogin prohibit-password\" to "
				   "/etc/ssh/sshd_config before the upgrade; leapp then leaves the file alone.");
		report_add_resource(e, "package", "openssh-server");
		report_add_resource(e, "file", "/etc/ssh/sshd_config");
		actor_report(e);
	}
	json_decref(sshd);
	json_decref(ipu);
	return actor_finish();
}

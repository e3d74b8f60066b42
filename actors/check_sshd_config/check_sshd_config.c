/* Checks: what an admin-modified sshd_config (kept as it is by the 8 -> 9 upgrade) needs to
 * know: the Include of release 9's drop-in directory that sshd_drop_in_directory_apply will
 * prepend (upstream open_ssh_drop_in_directory_check), and that scp uses the SFTP protocol in
 * release 9, so a configuration without an sftp Subsystem breaks scp to this machine
 * (upstream open_ssh_subsystem_sftp). An unmodified file is replaced by release 9's: nothing
 * to say. */
#include <strings.h>

#include "sys.h"
#include "leapp/actor.h"

static void add_groups(json_t *e)
{
	report_add_group(e, "authentication");
	report_add_group(e, "security");
	report_add_group(e, "network");
	report_add_group(e, "services");
	report_add_resource(e, "package", "openssh-server");
	report_add_resource(e, "file", "/etc/ssh/sshd_config");
}

/* Does the configuration set an sftp Subsystem (anywhere: sshd takes the first one)? */
static bool has_sftp(json_t *facts)
{
	size_t i;
	json_t *d;
	json_array_foreach(json_object_get(facts, "directives"), i, d) {
		const char *kw = json_string_value(json_object_get(d, "keyword")) ?: "";
		const char *v = json_string_value(json_object_get(d, "value")) ?: "";
		if (!strcmp(kw, "subsystem") && !strncasecmp(v, "sftp", 4) && (v[4] == ' ' || v[4] == '\t'))
			return true;
	}
	return false;
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *sshd = actor_consume_last("SshdConfig");
	json_t *ipu = ipu_config_get();
	int target = ipu_target_major(ipu);
	if (ipu_source_major(ipu) != 8 || target < 9 || !json_is_true(json_object_get(sshd, "present")) ||
	    !json_is_true(json_object_get(sshd, "modified")))
		goto out;
	if (json_is_string(json_object_get(sshd, "package"))) {
		_cleanup_free_ char *summary = xasprintf(
			"/etc/ssh/sshd_config was modified, so the upgrade keeps it instead of installing release %d's, which "
			"starts with `Include /etc/ssh/sshd_config.d/*.conf`. Release %d's packages and crypto policies "
			"configure sshd through that directory, so after the packages are upgraded (Applications phase) "
			"leapp adds this line at the top of the file, with a comment saying so. The drop-in files then take "
			"precedence over the settings that follow them: check that sshd behaves as expected.",
			target, target);
		json_t *e = report_new("The upgrade will prepend the Include directive to OpenSSH sshd_config", summary, "info");
		add_groups(e);
		actor_report(e);
	}
	if (!has_sftp(sshd)) {
		_cleanup_free_ char *summary = xasprintf(
			"/etc/ssh/sshd_config has no `Subsystem sftp` line. In release %d scp copies files over the SFTP "
			"protocol, so scp from release %d machines (and from this one once upgraded) to this machine will fail "
			"while the SFTP server stays off.",
			target, target);
		json_t *e = report_new("OpenSSH configured without SFTP subsystem", summary, "medium");
		add_groups(e);
		report_add_hint(e, "Enable the SFTP server by adding this line to /etc/ssh/sshd_config: "
				   "Subsystem sftp /usr/libexec/openssh/sftp-server");
		report_add_external(e, "https://access.redhat.com/articles/5284081", "SCP support in RHEL");
		actor_report(e);
	}
out:
	json_decref(sshd);
	json_decref(ipu);
	return actor_finish();
}

/* Checks: root password logins over SSH after an 8 -> 9 upgrade, with upstream's decision
 * (openssh_permit_root_login). Release 8 ships sshd_config with "PermitRootLogin yes";
 * release 9's file has none and sshd's default is prohibit-password.
 *   - file as packaged, allowing root password logins: the RPM transaction replaces it and
 *     root can no longer log in with a password. Upstream inhibits. We ask instead
 *     (dialog keep_password_login): yes -> sshd_permit_root_login_apply writes
 *     "PermitRootLogin yes" into the new file; no -> the new default applies (a warning);
 *     no answer -> upstream's inhibitor (and the broker's, with the `leapp answer` command).
 *   - file modified by the admin and allowing root password logins globally: the file is
 *     kept, and so is that (upstream's warning).
 * A modified file without PermitRootLogin already had prohibit-password on release 8. */
#include <strings.h>

#include "sys.h"
#include "leapp/actor.h"

#define SCOPE "check_sshd_permit_root_login"
#define KEY "keep_password_login"

/* PermitRootLogin outside Match blocks as sshd reads it (without-password is its old name), or def. */
static const char *global_value(json_t *facts, const char *def)
{
	size_t i;
	json_t *d;
	json_array_foreach(json_object_get(facts, "permit_root_login"), i, d) {
		if (json_is_true(json_object_get(d, "in_match")))
			continue;
		const char *v = json_string_value(json_object_get(d, "value")) ?: "";
		return !strcasecmp(v, "without-password") ? "prohibit-password" : v;
	}
	return def;
}

static json_t *entry_new(const char *title, const char *summary, const char *severity)
{
	json_t *e = report_new(title, summary, severity);
	report_add_group(e, "authentication");
	report_add_group(e, "security");
	report_add_group(e, "network");
	report_add_group(e, "services");
	report_add_resource(e, "package", "openssh-server");
	report_add_resource(e, "file", "/etc/ssh/sshd_config");
	return e;
}

static void unmodified_allows_root(int target)
{
	json_t *dialog = json_pack(
		"{s:s, s:s, s:s, s:[{s:s, s:s, s:s, s:s, s:s}]}", "scope", SCOPE, "title",
		"Keep root password logins over SSH", "reason", "Confirmation", "components", "key", KEY, "type", "bool",
		"label",
		"Keep root password logins over SSH after the upgrade (write PermitRootLogin yes into the new sshd_config)?",
		"description",
		"The upgrade replaces the unmodified /etc/ssh/sshd_config, which allows root password logins, with the "
		"target release's, which does not.",
		"reason", "Answering no accepts the target's default (prohibit-password): root logs in with keys only.");
	json_t *ans = actor_dialog(dialog);
	json_t *keep = json_object_get(ans, KEY);
	if (json_is_true(keep)) {
		actor_produce("SshdPermitRootLoginTask", json_pack("{s:s, s:s}", "value", "yes", "file", "/etc/ssh/sshd_config"));
		_cleanup_free_ char *summary = xasprintf(
			"/etc/ssh/sshd_config is as openssh-server installed it and allows root to log in with a password. "
			"The RPM transaction replaces it with release %d's file, whose default is PermitRootLogin "
			"prohibit-password. As answered (%s.%s = True), the upgrade then writes an explicit "
			"\"PermitRootLogin yes\" into the new file, so root password logins keep working.",
			target, SCOPE, KEY);
		json_t *e = entry_new("sshd_config will get an explicit PermitRootLogin yes", summary, "medium");
		report_add_hint(e, "Consider logging in as another user with sudo, or with keys, and removing the line later.");
		actor_report(e);
	} else if (json_is_false(keep)) {
		_cleanup_free_ char *summary = xasprintf(
			"/etc/ssh/sshd_config is as openssh-server installed it and allows root to log in with a password. "
			"The RPM transaction replaces it with release %d's file, and root will no longer be able to log in "
			"over SSH with a password (PermitRootLogin prohibit-password). This was accepted (%s.%s = False).",
			target, SCOPE, KEY);
		json_t *e = entry_new("Possible problems with remote login using root account", summary, "high");
		report_add_hint(e, "Make sure another user, or an SSH key for root, can log in before the upgrade.");
		actor_report(e);
	} else {
		_cleanup_free_ char *summary = xasprintf(
			"/etc/ssh/sshd_config is as openssh-server installed it and allows root to log in with a password. "
			"The RPM transaction replaces it with release %d's file, whose default, PermitRootLogin "
			"prohibit-password, stops root password logins over SSH: if you rely on them, this could lock you "
			"out of the system.",
			target);
		json_t *e = entry_new("Possible problems with remote login using root account", summary, "high");
		report_add_group(e, "inhibitor");
		report_add_hint(e, "To keep root password logins, let the upgrade write \"PermitRootLogin yes\" into the new "
				   "sshd_config (for a fleet: the same answer in each machine's answerfile):");
		static const char *const yes[] = {"leapp", "answer", "--section", SCOPE "." KEY "=True", NULL};
		report_add_command(e, yes);
		report_add_hint(e, "To accept the new default (keys only for root), answer " SCOPE "." KEY "=False. "
				   "Editing sshd_config (for instance a comment next to PermitRootLogin yes) also keeps "
				   "the file as it is.");
		actor_report(e);
	}
	json_decref(ans);
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *sshd = actor_consume_last("SshdConfig");
	json_t *ipu = ipu_config_get();
	if (ipu_source_major(ipu) != 8 || ipu_target_major(ipu) < 9 || !json_is_true(json_object_get(sshd, "present")))
		goto out;
	json_t *modified = json_object_get(sshd, "modified");
	const char *value = global_value(sshd, "prohibit-password");
	if (strcmp(value, "yes"))
		goto out; /* root password logins are not allowed globally now: nothing changes */
	if (json_is_false(modified)) {
		unmodified_allows_root(ipu_target_major(ipu));
	} else {
		_cleanup_free_ char *summary = xasprintf(
			"Release %d no longer allows root to log in with a password by default, but /etc/ssh/sshd_config "
			"sets PermitRootLogin yes globally. The file %s kept as it is, so root will still be able to log in "
			"with a password, which is a security risk.",
			ipu_target_major(ipu), json_is_true(modified) ? "was modified and is" : "is");
		json_t *e = entry_new("Remote root logins globally allowed using password", summary, "high");
		report_add_hint(e, "If you rely on root password logins, consider an administrative user instead; "
				   "otherwise nothing needs to be done.");
		actor_report(e);
	}
out:
	json_decref(sshd);
	json_decref(ipu);
	return actor_finish();
}

/* Applications: keep root password logins over SSH when the admin chose so in
 * check_sshd_permit_root_login's dialog. The RPM transaction replaced the unmodified
 * sshd_config with the target's, which leaves PermitRootLogin to its default
 * (prohibit-password): write "PermitRootLogin yes" into it, keeping the rest of the file, its
 * owner, mode and label. Safe to run twice: a configuration that already sets PermitRootLogin
 * outside Match blocks (in the file or in a file it includes) is left alone. */
#include "sys.h"
#include "fs.h"
#include "leapp/actor.h"

static void apply(const char *file, const char *value)
{
	_cleanup_free_ char *data = NULL;
	size_t len;
	int r = fs_root_read(file, 1u << 20, &data, &len);
	if (r < 0) {
		/* the package was removed or the admin deleted the file during the upgrade */
		actor_warning("%s: %s; nothing to do", file, strerror(-r));
		return;
	}
	/* what the configuration says now, drop-ins included (the target's file includes them) */
	struct sshd_config now = {0};
	sshd_config_load(actor_root(), file, &now);
	const struct sshd_directive *d = sshd_config_effective(&now, "permitrootlogin");
	if (d) {
		actor_info("%s already sets PermitRootLogin %s (%s line %d); left alone", file, d->value, d->file, d->line);
		sshd_config_clear(&now);
		return;
	}
	sshd_config_clear(&now);
	_cleanup_free_ char *edited = sshd_config_add_directive(
		data, len, "PermitRootLogin", value,
		"Added by leapp during the upgrade: keep root password logins, as answered in the upgrade dialog");
	r = fs_root_replace_contents(file, edited, strlen(edited));
	if (r < 0)
		actor_error("cannot update the sshd configuration", "%s: %s", file, strerror(-r));
	actor_info("wrote PermitRootLogin %s to %s", value, file);
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *task = actor_consume_last("SshdPermitRootLoginTask");
	if (task)
		apply(json_string_value(json_object_get(task, "file")) ?: "/etc/ssh/sshd_config",
		      json_string_value(json_object_get(task, "value")) ?: "yes");
	else
		actor_info("no PermitRootLogin change was chosen");
	json_decref(task);
	return actor_finish();
}

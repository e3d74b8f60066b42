/* Applications: keep root password logins working after the upgrade, as check_sshd_permit_
 * root_login reported: add "PermitRootLogin yes" to /etc/ssh/sshd_config, keeping the rest
 * of the file, its owner, mode and label. Safe to run twice: a file that already sets
 * PermitRootLogin outside Match blocks is left alone. */
#include "fs.h"
#include "sys.h"
#include "leapp/actor.h"

#define SSHD_CONFIG "/etc/ssh/sshd_config"

static void apply(json_t *facts, json_t *ipu)
{
	/* the decision is the check's, made on the source system's configuration */
	if (!sshd_permit_root_login_needed(facts, ipu_source_major(ipu), ipu_target_major(ipu))) {
		actor_info("%s needs no change", SSHD_CONFIG);
		return;
	}
	_cleanup_free_ char *path = actor_path(SSHD_CONFIG);
	_cleanup_free_ char *data = NULL;
	size_t len;
	int r = fs_root_read(SSHD_CONFIG, 1u << 20, &data, &len);
	if (r < 0) {
		/* the package was removed or the admin deleted the file during the upgrade */
		actor_warning("%s: %s; nothing to do", SSHD_CONFIG, strerror(-r));
		return;
	}
	/* what the file says now: the upgrade may have replaced it (an unmodified %config) */
	struct sshd_config now = {0};
	sshd_config_parse(SSHD_CONFIG, data, len, &now);
	const struct sshd_directive *d = sshd_config_effective(&now, "permitrootlogin");
	if (d) {
		actor_info("%s already sets PermitRootLogin %s (line %d); left alone", SSHD_CONFIG, d->value, d->line);
		sshd_config_clear(&now);
		return;
	}
	sshd_config_clear(&now);
	_cleanup_free_ char *edited = sshd_config_add_directive(
		data, len, "PermitRootLogin", "yes",
		"Added by leapp during the upgrade: the configuration relied on the old default of PermitRootLogin");
	r = fs_root_replace_contents(SSHD_CONFIG, edited, strlen(edited));
	if (r < 0)
		actor_error("cannot update " SSHD_CONFIG, "%s", strerror(-r));
	_cleanup_free_ char *rpmnew = xasprintf("%s.rpmnew", path);
	if (access(rpmnew, F_OK) == 0)
		actor_info("%s.rpmnew is the new default configuration; %s was kept and updated", SSHD_CONFIG, SSHD_CONFIG);
	actor_info("wrote PermitRootLogin yes to %s", SSHD_CONFIG);
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *facts = actor_consume_last("SshdConfig");
	json_t *ipu = ipu_config_get();
	apply(facts, ipu);
	json_decref(facts);
	json_decref(ipu);
	return actor_finish();
}

/* Finalization (after): the upgrade initramfs has done its work; /boot/vmlinuz-upgrade.*,
 * /boot/initramfs-upgrade.*.img and the kernel's .hmac go, and the upgrade entry too if
 * InitRamStart did not remove it. Safe to run twice. */
#include <dirent.h>

#include "sys.h"
#include "boot.h"
#include "leapp/actor.h"

static bool upgrade_file(const char *name)
{
	return str_startswith(name, "vmlinuz-upgrade.") || str_startswith(name, "initramfs-upgrade.") ||
	       (str_startswith(name, ".vmlinuz-upgrade.") && str_endswith(name, ".hmac"));
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	const char *root = actor_root();
	json_t *art = actor_consume_last("UpgradeBootArtifacts");
	json_t *entry = actor_consume_last("UpgradeBootEntry");
	_cleanup_free_ char *arch = json_is_string(json_object_get(art, "arch")) ? xstrdup(json_string_value(json_object_get(art, "arch")))
										 : sys_arch_get();
	_cleanup_free_ char *id = json_is_string(json_object_get(entry, "id")) ? xstrdup(json_string_value(json_object_get(entry, "id")))
										: boot_upgrade_entry_id(root, arch);
	_cleanup_free_ char *kernel = xasprintf("/boot/vmlinuz-upgrade.%s", arch);
	if (id) {
		bool changed = false;
		char *err = NULL;
		if (boot_upgrade_entry_remove(root, id, kernel, &changed, &err) < 0)
			actor_error("cannot remove the upgrade boot entry", "%s", err);
		if (changed)
			actor_info("removed the upgrade boot entry %s, which was still there", id);
	}
	_cleanup_free_ char *boot = actor_path("/boot");
	DIR *d = opendir(boot);
	if (!d)
		actor_error("cannot read /boot", "%s: %s", boot, strerror(errno));
	struct dirent *de;
	size_t removed = 0;
	while ((de = readdir(d))) {
		if (!upgrade_file(de->d_name))
			continue;
		_cleanup_free_ char *p = path_join(boot, de->d_name);
		if (unlink(p) < 0 && errno != ENOENT)
			actor_error("cannot remove an upgrade boot file", "/boot/%s: %s", de->d_name, strerror(errno));
		actor_info("removed /boot/%s", de->d_name);
		removed++;
	}
	closedir(d);
	if (!removed)
		actor_info("no upgrade boot files left in /boot");
	json_decref(art);
	json_decref(entry);
	return actor_finish();
}

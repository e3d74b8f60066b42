/* InitRamStart: the upgrade initramfs is running, so its boot entry goes (with grubby when the
 * system has it) and so does grubenv's next_entry if grub did not clear it: a reboot from here
 * on boots the default entry. The kernel and initramfs files stay until Finalization's cleanup.
 * Safe to run twice (a resumed phase). */
#include "sys.h"
#include "boot.h"
#include "leapp/actor.h"

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	const char *root = actor_root();
	json_t *entry = actor_consume_last("UpgradeBootEntry");
	json_t *art = actor_consume_last("UpgradeBootArtifacts");
	_cleanup_free_ char *arch = json_is_string(json_object_get(art, "arch")) ? xstrdup(json_string_value(json_object_get(art, "arch")))
										 : sys_arch_get();
	_cleanup_free_ char *id = json_is_string(json_object_get(entry, "id")) ? xstrdup(json_string_value(json_object_get(entry, "id")))
										: boot_upgrade_entry_id(root, arch);
	if (!id) {
		actor_warning("the machine id is unknown: no upgrade boot entry to look for");
		return actor_finish();
	}
	_cleanup_free_ char *kernel = json_is_string(json_object_get(art, "kernel"))
					      ? xstrdup(json_string_value(json_object_get(art, "kernel")))
					      : xasprintf("/boot/vmlinuz-upgrade.%s", arch);
	bool changed = false;
	char *err = NULL;
	if (boot_upgrade_entry_remove(root, id, kernel, &changed, &err) < 0)
		actor_error("cannot remove the upgrade boot entry", "%s", err);
	actor_info(changed ? "removed the upgrade boot entry %s" : "the upgrade boot entry %s is gone already", id);
	json_decref(entry);
	json_decref(art);
	return actor_finish();
}

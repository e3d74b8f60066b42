$(eval $(call initramfs_actor,remove_upgrade_boot_entry,remove_upgrade_boot_entry.c,,,sys boot))

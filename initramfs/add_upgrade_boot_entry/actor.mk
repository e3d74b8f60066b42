$(eval $(call initramfs_actor,add_upgrade_boot_entry,add_upgrade_boot_entry.c,,,sys boot))

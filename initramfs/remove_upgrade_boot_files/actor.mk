$(eval $(call initramfs_actor,remove_upgrade_boot_files,remove_upgrade_boot_files.c,,,sys boot))

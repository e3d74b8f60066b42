$(eval $(call initramfs_actor,target_kernel_boot_entry,target_kernel_boot_entry.c,,,sys boot))

$(eval $(call initramfs_actor,storage_initramfs_setup,storage_initramfs_setup.c multipath.c,,,sys fs boot))

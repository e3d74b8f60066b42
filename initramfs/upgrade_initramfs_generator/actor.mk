$(eval $(call initramfs_actor,upgrade_initramfs_generator,upgrade_initramfs_generator.c,,,sys fs boot))

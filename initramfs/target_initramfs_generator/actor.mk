$(eval $(call initramfs_actor,target_initramfs_generator,target_initramfs_generator.c,,,fs boot))

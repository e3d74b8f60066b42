$(eval $(call initramfs_actor,update_grub_core,update_grub_core.c,,,sys fs boot))

$(eval $(call initramfs_actor,selinux_prepare,selinux_prepare.c,,,sys fs))

$(eval $(call initramfs_actor,selinux_apply_custom,selinux_apply_custom.c,,,sys fs))

$(eval $(call initramfs_actor,common_leapp_dracut_modules,common_leapp_dracut_modules.c,,,sys fs boot))

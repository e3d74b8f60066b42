$(eval $(call initramfs_actor,efi_finalization_fix,efi_finalization_fix.c,,,sys fs boot))

$(eval $(call initramfs_actor,efi_interim_fix,efi_interim_fix.c,,,sys fs boot))

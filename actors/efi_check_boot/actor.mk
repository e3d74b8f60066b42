$(eval $(call c_actor,efi_check_boot,actors/efi_check_boot,efi_check_boot.c,,,sys))

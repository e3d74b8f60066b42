$(eval $(call c_actor,check_grub_core,actors/check_grub_core,check_grub_core.c,,,sys))

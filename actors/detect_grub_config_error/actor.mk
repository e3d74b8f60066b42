$(eval $(call c_actor,detect_grub_config_error,actors/detect_grub_config_error,detect_grub_config_error.c,,,sys))

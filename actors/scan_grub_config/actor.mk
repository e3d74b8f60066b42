$(eval $(call c_actor,scan_grub_config,actors/scan_grub_config,scan_grub_config.c,,,sys fs))

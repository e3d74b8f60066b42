$(eval $(call c_actor,check_boot_avail_space,actors/check_boot_avail_space,check_boot_avail_space.c,,,))

$(eval $(call c_actor,check_lvm_config,actors/check_lvm_config,check_lvm_config.c,,,sys))

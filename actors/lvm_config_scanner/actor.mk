$(eval $(call c_actor,lvm_config_scanner,actors/lvm_config_scanner,lvm_config_scanner.c,,,fs sys))

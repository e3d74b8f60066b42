$(eval $(call c_actor,check_network_config,actors/check_network_config,check_network_config.c,,,sys))

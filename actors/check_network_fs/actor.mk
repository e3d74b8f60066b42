$(eval $(call c_actor,check_network_fs,actors/check_network_fs,check_network_fs.c,,,))

$(eval $(call c_actor,check_upgrade_path,actors/check_upgrade_path,check_upgrade_path.c,,,))

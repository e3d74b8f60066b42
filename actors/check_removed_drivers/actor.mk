$(eval $(call c_actor,check_removed_drivers,actors/check_removed_drivers,check_removed_drivers.c,,,sys))

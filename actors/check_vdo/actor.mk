$(eval $(call c_actor,check_vdo,actors/check_vdo,check_vdo.c,,,sys))

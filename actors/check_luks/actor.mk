$(eval $(call c_actor,check_luks,actors/check_luks,check_luks.c,,,sys))

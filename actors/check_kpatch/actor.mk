$(eval $(call c_actor,check_kpatch,actors/check_kpatch,check_kpatch.c,,,sys))

$(eval $(call c_actor,check_mounts,actors/check_mounts,check_mounts.c,,,sys fs))

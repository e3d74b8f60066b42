$(eval $(call c_actor,check_memory,actors/check_memory,check_memory.c,,,sys))

$(eval $(call c_actor,check_architecture,actors/check_architecture,check_architecture.c,,,sys))

$(eval $(call c_actor,check_identity,actors/check_identity,check_identity.c,,,sys))

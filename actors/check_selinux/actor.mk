$(eval $(call c_actor,check_selinux,actors/check_selinux,check_selinux.c,,,))

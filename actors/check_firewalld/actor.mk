$(eval $(call c_actor,check_firewalld,actors/check_firewalld,check_firewalld.c,,,sys))

$(eval $(call c_actor,check_etc_releasever,actors/check_etc_releasever,check_etc_releasever.c,,,sys fs))

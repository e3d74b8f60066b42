$(eval $(call c_actor,set_etc_releasever,actors/set_etc_releasever,set_etc_releasever.c,,,sys fs))

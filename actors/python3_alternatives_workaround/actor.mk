$(eval $(call c_actor,python3_alternatives_workaround,actors/python3_alternatives_workaround,python3_alternatives_workaround.c,,,sys))

$(eval $(call c_actor,remove_leftover_packages,actors/remove_leftover_packages,remove_leftover_packages.c,,,sys rpm))

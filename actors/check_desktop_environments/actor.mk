$(eval $(call c_actor,check_desktop_environments,actors/check_desktop_environments,check_desktop_environments.c,,,sys))

$(eval $(call c_actor,root_scanner,actors/root_scanner,root_scanner.c,,,sys))

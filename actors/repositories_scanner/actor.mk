$(eval $(call c_actor,repositories_scanner,actors/repositories_scanner,repositories_scanner.c,,,sys fs fetch))

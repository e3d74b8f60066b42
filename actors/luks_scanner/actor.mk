$(eval $(call c_actor,luks_scanner,actors/luks_scanner,luks_scanner.c,,,sys fs))

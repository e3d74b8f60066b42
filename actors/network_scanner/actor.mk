$(eval $(call c_actor,network_scanner,actors/network_scanner,network_scanner.c,,,sys fs))

$(eval $(call c_actor,hardware_scanner,actors/hardware_scanner,hardware_scanner.c,,,sys fs))

$(eval $(call c_actor,vdo_conversion_scanner,actors/vdo_conversion_scanner,vdo_conversion_scanner.c,,,sys fs))

$(eval $(call c_actor,fips_scanner,actors/fips_scanner,fips_scanner.c,,,sys fs))

$(eval $(call c_actor,check_fips,actors/check_fips,check_fips.c,,,sys))

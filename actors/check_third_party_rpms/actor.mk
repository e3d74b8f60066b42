$(eval $(call c_actor,check_third_party_rpms,actors/check_third_party_rpms,check_third_party_rpms.c,,,sys))

$(eval $(call c_actor,check_sha1_signed_rpms,actors/check_sha1_signed_rpms,check_sha1_signed_rpms.c,,,sys))

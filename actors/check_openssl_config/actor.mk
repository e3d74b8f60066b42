$(eval $(call c_actor,check_openssl_config,actors/check_openssl_config,check_openssl_config.c,,,sys))

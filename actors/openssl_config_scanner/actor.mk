$(eval $(call c_actor,openssl_config_scanner,actors/openssl_config_scanner,openssl_config_scanner.c,,,sys fs))

$(eval $(call c_actor,migrate_openssl_conf,actors/migrate_openssl_conf,migrate_openssl_conf.c,,,sys fs))

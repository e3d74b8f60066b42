$(eval $(call c_actor,migrate_blacklist_ca,actors/migrate_blacklist_ca,migrate_blacklist_ca.c,,,sys fs))

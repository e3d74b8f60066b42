$(eval $(call c_actor,systemd_units_migration,actors/systemd_units_migration,systemd_units_migration.c,,,))

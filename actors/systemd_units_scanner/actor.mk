$(eval $(call c_actor,systemd_units_scanner,actors/systemd_units_scanner,systemd_units_scanner.c,,,fs))

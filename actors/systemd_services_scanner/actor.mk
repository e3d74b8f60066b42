$(eval $(call c_actor,systemd_services_scanner,actors/systemd_services_scanner,systemd_services_scanner.c,,,sys))

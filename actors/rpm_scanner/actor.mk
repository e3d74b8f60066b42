$(eval $(call c_actor,rpm_scanner,actors/rpm_scanner,rpm_scanner.c,rpm sqlite3,,sys rpm))

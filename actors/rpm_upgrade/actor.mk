$(eval $(call c_actor,rpm_upgrade,actors/rpm_upgrade,rpm_upgrade.c,rpm libsolv libsolvext modulemd-2.0 glib-2.0 sqlite3,-lpthread,sys rpm plan))

$(eval $(call c_actor,late_rpmdb_check,actors/late_rpmdb_check,late_rpmdb_check.c,libsolv libsolvext rpm,,plan))

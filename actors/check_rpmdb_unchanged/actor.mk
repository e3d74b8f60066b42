$(eval $(call c_actor,check_rpmdb_unchanged,actors/check_rpmdb_unchanged,check_rpmdb_unchanged.c,libsolv libsolvext rpm,,plan))

$(eval $(call c_actor,rpmdb_rebuild,actors/rpmdb_rebuild,rpmdb_rebuild.c,,,rpm))

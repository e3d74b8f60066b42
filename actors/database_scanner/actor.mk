$(eval $(call c_actor,database_scanner,actors/database_scanner,database_scanner.c,,,sys fs))

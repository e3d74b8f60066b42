$(eval $(call c_actor,check_databases,actors/check_databases,check_databases.c,,,sys))

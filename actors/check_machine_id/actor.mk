$(eval $(call c_actor,check_machine_id,actors/check_machine_id,check_machine_id.c,,,sys))

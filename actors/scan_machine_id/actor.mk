$(eval $(call c_actor,scan_machine_id,actors/scan_machine_id,scan_machine_id.c,,,sys fs))

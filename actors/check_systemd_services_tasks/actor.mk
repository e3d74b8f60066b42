$(eval $(call c_actor,check_systemd_services_tasks,actors/check_systemd_services_tasks,check_systemd_services_tasks.c,,,sys))

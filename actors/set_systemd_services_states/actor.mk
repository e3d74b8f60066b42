$(eval $(call c_actor,set_systemd_services_states,actors/set_systemd_services_states,set_systemd_services_states.c,,,))

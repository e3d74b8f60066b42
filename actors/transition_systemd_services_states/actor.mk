$(eval $(call c_actor,transition_systemd_services_states,actors/transition_systemd_services_states,transition_systemd_services_states.c,,,sys))

$(eval $(call livemode_actor,emit_livemode_userspace_requirements,emit_livemode_userspace_requirements.c,,,boot))

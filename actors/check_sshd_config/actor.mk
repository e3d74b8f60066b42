$(eval $(call c_actor,check_sshd_config,actors/check_sshd_config,check_sshd_config.c,,,sys))

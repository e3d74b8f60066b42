$(eval $(call c_actor,sshd_config_scanner,actors/sshd_config_scanner,sshd_config_scanner.c,,,sys rpm))

$(eval $(call c_actor,pam_scanner,actors/pam_scanner,pam_scanner.c,,,fs))

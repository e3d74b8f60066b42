$(eval $(call c_actor,check_sshd_permit_root_login,actors/check_sshd_permit_root_login,check_sshd_permit_root_login.c,,,sys))

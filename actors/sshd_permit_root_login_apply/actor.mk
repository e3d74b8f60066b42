$(eval $(call c_actor,sshd_permit_root_login_apply,actors/sshd_permit_root_login_apply,sshd_permit_root_login_apply.c,,,sys fs))

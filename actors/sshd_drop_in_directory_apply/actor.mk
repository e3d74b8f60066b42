$(eval $(call c_actor,sshd_drop_in_directory_apply,actors/sshd_drop_in_directory_apply,sshd_drop_in_directory_apply.c,,,sys fs))

$(eval $(call c_actor,copy_dnf_conf_into_target_userspace,actors/copy_dnf_conf_into_target_userspace,copy_dnf_conf_into_target_userspace.c,,,sys fs))

$(eval $(call c_actor,apply_custom_dnf_conf,actors/apply_custom_dnf_conf,apply_custom_dnf_conf.c,,,sys))

$(eval $(call c_actor,check_dnf_plugin_path,actors/check_dnf_plugin_path,check_dnf_plugin_path.c,,,sys))

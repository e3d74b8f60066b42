$(eval $(call c_actor,dnf_plugin_path_scanner,actors/dnf_plugin_path_scanner,dnf_plugin_path_scanner.c,,,sys fs))

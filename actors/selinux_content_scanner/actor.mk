$(eval $(call c_actor,selinux_content_scanner,actors/selinux_content_scanner,selinux_content_scanner.c,,,sys fs))

$(eval $(call c_actor,selinux_scanner,actors/selinux_scanner,selinux_scanner.c,,,sys fs))

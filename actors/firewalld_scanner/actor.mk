$(eval $(call c_actor,firewalld_scanner,actors/firewalld_scanner,firewalld_scanner.c,,,sys fs))

$(eval $(call c_actor,check_systemd_broken_symlinks,actors/check_systemd_broken_symlinks,check_systemd_broken_symlinks.c,,,sys))

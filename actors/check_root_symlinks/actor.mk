$(eval $(call c_actor,check_root_symlinks,actors/check_root_symlinks,check_root_symlinks.c,,,sys fs))

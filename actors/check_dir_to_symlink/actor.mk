$(eval $(call c_actor,check_dir_to_symlink,actors/check_dir_to_symlink,check_dir_to_symlink.c,,,sys plan fetch))

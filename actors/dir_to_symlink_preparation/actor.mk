$(eval $(call c_actor,dir_to_symlink_preparation,actors/dir_to_symlink_preparation,dir_to_symlink_preparation.c,,,sys))

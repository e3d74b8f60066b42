$(eval $(call c_actor,target_gpg_keys,actors/target_gpg_keys,target_gpg_keys.c,rpm libcurl,,sys rpm fetch plan))

$(eval $(call c_actor,target_userspace_creator,actors/target_userspace_creator,target_userspace_creator.c,rpm libcurl libsolv libsolvext,,sys rpm fetch plan))

$(eval $(call c_actor,target_repositories,actors/target_repositories,target_repositories.c,rpm libcurl,,sys fetch plan))

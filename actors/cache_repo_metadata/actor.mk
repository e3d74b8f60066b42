$(eval $(call c_actor,cache_repo_metadata,actors/cache_repo_metadata,cache_repo_metadata.c,,,plan))

$(eval $(call c_actor,repositories_mapping,actors/repositories_mapping,repositories_mapping.c,,,sys plan))

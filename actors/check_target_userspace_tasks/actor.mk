$(eval $(call c_actor,check_target_userspace_tasks,actors/check_target_userspace_tasks,check_target_userspace_tasks.c,libsolv libsolvext rpm,,sys plan))

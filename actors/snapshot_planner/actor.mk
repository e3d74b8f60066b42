$(eval $(call c_actor,snapshot_planner,actors/snapshot_planner,snapshot_planner.c,,,sys fs))

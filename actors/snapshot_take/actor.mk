$(eval $(call c_actor,snapshot_take,actors/snapshot_take,snapshot_take.c,,,sys fs boot))

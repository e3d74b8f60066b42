$(eval $(call c_actor,schedule_selinux_relabel,actors/schedule_selinux_relabel,schedule_selinux_relabel.c,,,sys fs))

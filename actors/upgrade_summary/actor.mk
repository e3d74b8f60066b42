$(eval $(call c_actor,upgrade_summary,actors/upgrade_summary,upgrade_summary.c,,,sys))

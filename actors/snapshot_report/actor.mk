$(eval $(call c_actor,snapshot_report,actors/snapshot_report,snapshot_report.c,,,sys))

# uses the boot domain for the upgrade boot entry's removal (what remove_upgrade_boot_files uses)
$(eval $(call c_actor,upgrade_cleanup,actors/upgrade_cleanup,upgrade_cleanup.c,,,sys plan boot))

# links libinitramfs.a for the upgrade boot entry's removal (the code remove_upgrade_boot_files uses)
CFLAGS_actors_upgrade_cleanup_ += -Iinitramfs/lib
$(SHARE)/actors/upgrade_cleanup/upgrade_cleanup: $(BUILD)/libinitramfs.a
$(eval $(call c_actor,upgrade_cleanup,actors/upgrade_cleanup,upgrade_cleanup.c,,$(BUILD)/libinitramfs.a $(BUILD)/libactor.a $(BUILD)/libmsg.a))

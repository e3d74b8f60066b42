$(eval $(call c_actor,scan_boot_firmware,actors/scan_boot_firmware,scan_boot_firmware.c,,,sys fs))

$(eval $(call c_actor,boot_entries_scanner,actors/boot_entries_scanner,boot_entries_scanner.c,,,fs boot))

$(eval $(call c_actor,storage_scanner,actors/storage_scanner,storage_scanner.c,mount blkid,,sys))

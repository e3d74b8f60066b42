$(eval $(call c_actor,nvme_scanner,actors/nvme_scanner,nvme_scanner.c,,,fs sys))

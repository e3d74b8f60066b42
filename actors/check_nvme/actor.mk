$(eval $(call c_actor,check_nvme,actors/check_nvme,check_nvme.c,,,fs sys))

$(eval $(call c_actor,check_nvidia_proprietary_driver,actors/check_nvidia_proprietary_driver,check_nvidia_proprietary_driver.c,,,sys))

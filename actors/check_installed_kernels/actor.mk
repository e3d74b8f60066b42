$(eval $(call c_actor,check_installed_kernels,actors/check_installed_kernels,check_installed_kernels.c,,,))

$(eval $(call c_actor,download_packages,actors/download_packages,download_packages.c,rpm libcurl,,sys rpm fetch plan))

$(eval $(call c_actor,kernel_modules_scanner,actors/kernel_modules_scanner,kernel_modules_scanner.c,,,sys fs))

$(eval $(call c_actor,kernel_scanner,actors/kernel_scanner,kernel_scanner.c,,,sys fs rpm))

$(eval $(call livemode_actor,livemode_kernel_cmdline,livemode_kernel_cmdline.c,,,))

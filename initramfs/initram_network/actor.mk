$(eval $(call initramfs_actor,initram_network,initram_network.c,,,sys fs boot))

$(eval $(call initramfs_actor,check_fips_enabled,check_fips_enabled.c,,,sys fs))

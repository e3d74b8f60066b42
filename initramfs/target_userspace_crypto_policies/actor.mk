$(eval $(call initramfs_actor,target_userspace_crypto_policies,target_userspace_crypto_policies.c,,,sys fs))

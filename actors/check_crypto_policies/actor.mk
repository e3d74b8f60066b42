$(eval $(call c_actor,check_crypto_policies,actors/check_crypto_policies,check_crypto_policies.c,,,sys))

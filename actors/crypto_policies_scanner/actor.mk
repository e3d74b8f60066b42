$(eval $(call c_actor,crypto_policies_scanner,actors/crypto_policies_scanner,crypto_policies_scanner.c,,,sys fs))

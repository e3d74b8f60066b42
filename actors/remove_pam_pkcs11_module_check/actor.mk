$(eval $(call c_actor,remove_pam_pkcs11_module_check,actors/remove_pam_pkcs11_module_check,remove_pam_pkcs11_module_check.c,,,sys))

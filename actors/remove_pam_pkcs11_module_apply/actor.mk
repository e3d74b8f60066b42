$(eval $(call c_actor,remove_pam_pkcs11_module_apply,actors/remove_pam_pkcs11_module_apply,remove_pam_pkcs11_module_apply.c,,,fs))

$(eval $(call c_actor,check_third_party_python_modules,actors/check_third_party_python_modules,check_third_party_python_modules.c,,,sys))

$(eval $(call c_actor,check_dynamic_linker_configuration,actors/check_dynamic_linker_configuration,check_dynamic_linker_configuration.c,,,sys))

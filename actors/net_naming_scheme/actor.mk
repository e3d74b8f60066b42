$(eval $(call c_actor,net_naming_scheme,actors/net_naming_scheme,net_naming_scheme.c,,,sys))

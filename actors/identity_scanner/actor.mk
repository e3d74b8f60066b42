$(eval $(call c_actor,identity_scanner,actors/identity_scanner,identity_scanner.c,,,sys fs))

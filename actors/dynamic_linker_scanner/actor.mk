$(eval $(call c_actor,dynamic_linker_scanner,actors/dynamic_linker_scanner,dynamic_linker_scanner.c,,,sys fs rpm))

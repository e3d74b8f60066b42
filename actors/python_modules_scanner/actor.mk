$(eval $(call c_actor,python_modules_scanner,actors/python_modules_scanner,python_modules_scanner.c,,,sys rpm))

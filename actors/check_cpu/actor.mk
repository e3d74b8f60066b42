$(eval $(call c_actor,check_cpu,actors/check_cpu,check_cpu.c,,,sys))

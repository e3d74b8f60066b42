$(eval $(call c_actor,enable_logrotate_timer,actors/enable_logrotate_timer,enable_logrotate_timer.c,,,sys))

$(eval $(call livemode_actor,livemode_reporter,livemode_reporter.c,,,sys))

$(eval $(call livemode_actor,livemode_config_scanner,livemode_config_scanner.c,,,))

$(eval $(call c_actor,pes_events_scanner,actors/pes_events_scanner,pes_events_scanner.c,,))

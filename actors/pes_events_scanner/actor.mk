$(eval $(call c_actor,pes_events_scanner,actors/pes_events_scanner,pes_events_scanner.c,,,sys plan))
# unit tests of actors/lib/plan/pes.c (build/tests/test_pes)
$(eval $(call cmocka_test,test_pes,actors/pes_events_scanner/tests/test_pes.c,,,plan))

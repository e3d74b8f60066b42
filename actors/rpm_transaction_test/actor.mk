$(eval $(call c_actor,rpm_transaction_test,actors/rpm_transaction_test,rpm_transaction_test.c,rpm,))

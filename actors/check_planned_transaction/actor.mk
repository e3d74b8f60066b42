$(eval $(call c_actor,check_planned_transaction,actors/check_planned_transaction,check_planned_transaction.c,,,))

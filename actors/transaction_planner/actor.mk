$(eval $(call c_actor,transaction_planner,actors/transaction_planner,transaction_planner.c,libsolv libsolvext rpm modulemd-2.0 glib-2.0,))

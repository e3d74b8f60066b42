$(eval $(call c_actor,transaction_planner,actors/transaction_planner,transaction_planner.c,libsolv libsolvext rpm modulemd-2.0 glib-2.0,))
# test helper: re-solve a PlannedTransaction (actors/lib/replan.c) — tests/plan/test-plan-replan.sh
$(BUILD)/tests/replan_tool: $(BUILD)/tests/plan/replan_tool.o $(BUILD)/libactor.a $(BUILD)/libmsg.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(shell $(PKG_CONFIG) --libs libsolv libsolvext rpm modulemd-2.0 glib-2.0) $(LIBMSG_LIBS) -lpthread
all: $(BUILD)/tests/replan_tool

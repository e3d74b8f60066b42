$(eval $(call c_actor,transaction_planner,actors/transaction_planner,transaction_planner.c,libsolv libsolvext rpm modulemd-2.0 glib-2.0,,sys fetch plan))
# test helper: re-solve a PlannedTransaction (actors/lib/plan/replan.c) — actors/lib/plan/tests/test-plan-replan.sh
$(eval $(call use_domains,actors/lib/plan/tests/,plan))
$(BUILD)/tests/replan_tool: $(BUILD)/actors/lib/plan/tests/replan_tool.o $(call domain_archives,plan) $(BUILD)/libmsg.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $(filter %.o,$^) $(call domain_ldlibs,plan) $(BUILD)/libmsg.a $(shell $(PKG_CONFIG) --libs libsolv libsolvext rpm modulemd-2.0 glib-2.0) $(LIBMSG_LIBS) -lpthread
all: $(BUILD)/tests/replan_tool

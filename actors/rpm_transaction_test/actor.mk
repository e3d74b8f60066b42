$(eval $(call c_actor,rpm_transaction_test,actors/rpm_transaction_test,rpm_transaction_test.c,rpm,,rpm plan))

# test helper: a transaction through actors/lib/rpm/rpmtrans.c from the command line (actors/lib/rpm/tests)
$(eval $(call use_domains,actors/lib/rpm/tests/,rpm))
$(BUILD)/tests/rpmtrans-run: $(BUILD)/actors/lib/rpm/tests/rpmtrans_run.o $(call domain_archives,rpm) $(BUILD)/libmsg.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $(filter %.o,$^) $(call domain_ldlibs,rpm) $(BUILD)/libmsg.a $(shell $(PKG_CONFIG) --libs rpm) $(LIBMSG_LIBS)
all: $(BUILD)/tests/rpmtrans-run

$(eval $(call c_actor,rpm_transaction_test,actors/rpm_transaction_test,rpm_transaction_test.c,rpm,))

# test helper: a transaction through actors/lib/rpmtrans from the command line (tests/download)
$(BUILD)/tests/rpmtrans-run: $(BUILD)/tests/download/rpmtrans_run.o $(BUILD)/libactor.a $(BUILD)/libmsg.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(shell $(PKG_CONFIG) --libs rpm) $(LIBMSG_LIBS)
all: $(BUILD)/tests/rpmtrans-run

# tests: the generic test actor, models and the cmocka unit tests.
$(BUILD)/tests/testactor: $(BUILD)/tests/actors/testactor.o $(BUILD)/libmsg.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBMSG_LIBS)
$(BUILD)/tests/models/test.yaml: tests/models/test.yaml
	@mkdir -p $(dir $@)
	cp $< $@
all: $(BUILD)/tests/testactor $(BUILD)/tests/models/test.yaml

$(eval $(call cmocka_test,test_frame,tests/unit/test_frame.c,,$(BUILD)/libmsg.a))
$(eval $(call cmocka_test,test_model,tests/unit/test_model.c,,$(BUILD)/libmsg.a))
$(eval $(call cmocka_test,test_rootfs,tests/unit/test_rootfs.c,,$(BUILD)/libmsg.a))

# tests: the generic test actor, models and the cmocka unit tests.
$(BUILD)/tests/testactor: $(BUILD)/tests/actors/testactor.o $(BUILD)/libmsg.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBMSG_LIBS)
$(BUILD)/tests/models/test.yaml: tests/models/test.yaml
	@mkdir -p $(dir $@)
	cp $< $@
all: $(BUILD)/tests/testactor $(BUILD)/tests/models/test.yaml

# tests/sandbox: hostile test actors and helpers for the sandbox tests (tests/sandbox/test-*.sh)
# and the sandbox benchmark (scripts/bench-sandbox).
$(BUILD)/tests/bench_sandbox: $(BUILD)/tests/sandbox/bench_sandbox.o $(BUILD)/broker/sandbox.o $(BUILD)/broker/spawn.o $(BUILD)/libmsg.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(shell $(PKG_CONFIG) --libs libseccomp libuv) $(LIBMSG_LIBS)
all: $(BUILD)/tests/bench_sandbox
$(BUILD)/tests/hostile: $(BUILD)/tests/sandbox/hostile.o $(BUILD)/libmsg.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBMSG_LIBS)
$(BUILD)/tests/tcplisten: $(BUILD)/tests/sandbox/tcplisten.o
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^
all: $(BUILD)/tests/hostile $(BUILD)/tests/tcplisten

# make bench prints the sandbox's figures with the core benchmark
.PHONY: bench-sandbox
bench: bench-sandbox
bench-sandbox: all
	scripts/bench-sandbox $(BUILD)

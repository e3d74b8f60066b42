# tests/bench: helpers for the benchmark scripts.
$(BUILD)/tests/bench_spawn: $(BUILD)/tests/bench/bench_spawn.o $(BUILD)/libmsg.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBMSG_LIBS)
all: $(BUILD)/tests/bench_spawn

# tests/fuzz: libFuzzer targets for every parser of outside input. `make check` replays the
# regression corpus through each target with a plain driver; `make fuzz` builds them with
# clang's libFuzzer and `make fuzz-run FUZZ_SECONDS=N` runs each for N seconds.
FUZZ_TARGETS := frame yaml json ini
$(eval $(call use_domains,tests/fuzz/,fetch))

$(BUILD)/tests/fuzz-replay-%: $(BUILD)/tests/fuzz/fuzz_%.o $(BUILD)/tests/fuzz/replay.o $(BUILD)/actors/lib/fetch/repofile.o $(BUILD)/libmsg.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBMSG_LIBS)
all: $(addprefix $(BUILD)/tests/fuzz-replay-,$(FUZZ_TARGETS))

FUZZ_BUILD := build-fuzz
fuzz:
	$(MAKE) BUILD=$(FUZZ_BUILD) CC=clang CFLAGS="-O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined" \
		LDFLAGS="-fsanitize=address,undefined" $(FUZZ_BUILD)/libmsg.a $(FUZZ_BUILD)/actors/lib/fetch/repofile.o \
		$(addprefix $(FUZZ_BUILD)/tests/fuzz/fuzz_,$(addsuffix .o,$(FUZZ_TARGETS)))
	for t in $(FUZZ_TARGETS); do \
		clang -fsanitize=fuzzer,address,undefined -o $(FUZZ_BUILD)/fuzz-$$t $(FUZZ_BUILD)/tests/fuzz/fuzz_$$t.o \
			$(FUZZ_BUILD)/actors/lib/fetch/repofile.o $(FUZZ_BUILD)/libmsg.a $(LIBMSG_LIBS) || exit 1; done

FUZZ_SECONDS ?= 60
fuzz-run: fuzz
	for t in $(FUZZ_TARGETS); do mkdir -p $(FUZZ_BUILD)/corpus-$$t; \
		$(FUZZ_BUILD)/fuzz-$$t -max_total_time=$(FUZZ_SECONDS) -max_len=65536 \
			-artifact_prefix=$(FUZZ_BUILD)/crash-$$t- $(FUZZ_BUILD)/corpus-$$t tests/fuzz/corpus/$$t || exit 1; done
.PHONY: fuzz fuzz-run

# tests/fuzz: libFuzzer targets for the parsers of outside input (docs/fuzzing.md lists them,
# with the runs). `make check` replays each target's corpus (tests/fuzz/corpus/<t>/) with a
# plain driver (replay.c, no libFuzzer needed; tests/fuzz/test-fuzz-corpus.sh); `make fuzz`
# builds them with clang's libFuzzer into build-fuzz/ and `make fuzz-run FUZZ_SECONDS=N
# [FUZZ_ONLY="t1 t2"]` runs each for N seconds (one job, nice'd).
FUZZ_TARGETS := frame yaml json ini answerfile actorconf pes repomap upgradepaths gpgsigs repomd metalink mirrorlist fstab
# the domains a target links, and objects outside libmsg and the domains
FUZZ_DOMAINS_ini := fetch
FUZZ_DOMAINS_pes := plan
FUZZ_DOMAINS_repomap := plan
FUZZ_DOMAINS_upgradepaths := plan
FUZZ_DOMAINS_gpgsigs := rpm
FUZZ_DOMAINS_repomd := fetch
FUZZ_DOMAINS_metalink := fetch
FUZZ_DOMAINS_mirrorlist := fetch
FUZZ_DOMAINS_fstab := sys
FUZZ_OBJS_answerfile := $(BUILD)/broker/answerfile.o
$(eval $(call use_domains,tests/fuzz/,fetch plan rpm sys))
CFLAGS_tests_fuzz_ += -Ibroker

define fuzz_target
$(BUILD)/tests/fuzz-replay-$(1): $(BUILD)/tests/fuzz/fuzz_$(1).o $(BUILD)/tests/fuzz/replay.o $(FUZZ_OBJS_$(1)) $(call domain_archives,$(FUZZ_DOMAINS_$(1))) $(BUILD)/libmsg.a
	@mkdir -p $$(dir $$@)
	$$(CC) $$(ALL_LDFLAGS) -o $$@ $$(filter %.o,$$^) $(call domain_ldlibs,$(FUZZ_DOMAINS_$(1))) $(BUILD)/libmsg.a $$(LIBMSG_LIBS)
all: $(BUILD)/tests/fuzz-replay-$(1)
# the libFuzzer binary (only meaningful with BUILD=build-fuzz, see `fuzz` below)
$(BUILD)/fuzz-$(1): $(BUILD)/tests/fuzz/fuzz_$(1).o $(FUZZ_OBJS_$(1)) $(call domain_archives,$(FUZZ_DOMAINS_$(1))) $(BUILD)/libmsg.a
	$$(CC) -fsanitize=fuzzer,address,undefined -o $$@ $$(filter %.o,$$^) $(call domain_ldlibs,$(FUZZ_DOMAINS_$(1))) $(BUILD)/libmsg.a $$(LIBMSG_LIBS)
endef
$(foreach t,$(FUZZ_TARGETS),$(eval $(call fuzz_target,$(t))))

FUZZ_BUILD := build-fuzz
FUZZ_ONLY ?= $(FUZZ_TARGETS)
# clang -Wunused-variable counts a _cleanup_ variable kept only for its cleanup as unused (gcc does not)
fuzz:
	$(MAKE) BUILD=$(FUZZ_BUILD) CC=clang CFLAGS="-O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -Wno-unused-variable" \
		LDFLAGS="-fsanitize=address,undefined" $(addprefix $(FUZZ_BUILD)/fuzz-,$(FUZZ_ONLY))

FUZZ_SECONDS ?= 60
fuzz-run: fuzz
	for t in $(FUZZ_ONLY); do mkdir -p $(FUZZ_BUILD)/corpus-$$t; \
		nice -n 10 $(FUZZ_BUILD)/fuzz-$$t -max_total_time=$(FUZZ_SECONDS) -max_len=65536 \
			-artifact_prefix=$(FUZZ_BUILD)/crash-$$t- $(FUZZ_BUILD)/corpus-$$t tests/fuzz/corpus/$$t \
			2>&1 | tee $(FUZZ_BUILD)/log-$$t.txt | tail -n 3; done
.PHONY: fuzz fuzz-run

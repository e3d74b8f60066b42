# actors/lib: the domain libraries (DESIGN.md section 8), one folder, one header and one archive
# ($(BUILD)/libdomain-<d>.a) per domain. A domain sees its own folder, the domains it depends on
# (DOMAIN_DEPS_<d> in the top Makefile) and libmsg; its pkg-config libraries (DOMAIN_PKGS_<d>) are
# linked by the programs that use it, only where an object they pull in needs them.
define domain_lib
DOMAIN_SRCS_$(1) := $$(wildcard actors/lib/$(1)/*.c)
DOMAIN_OBJS_$(1) := $$(addprefix $$(BUILD)/,$$(DOMAIN_SRCS_$(1):.c=.o))
$(call use_domains,actors/lib/$(1)/,$(1))
WALLS_actors_lib_$(1)_ := libmsg/ $(call domain_walls,$(1))
$$(BUILD)/libdomain-$(1).a: $$(DOMAIN_OBJS_$(1))
	@mkdir -p $$(dir $$@)
	rm -f $$@
	ar rcs $$@ $$^
all: $$(BUILD)/libdomain-$(1).a
endef
$(foreach d,$(DOMAINS),$(eval $(call domain_lib,$(d))))

# unit tests of the domain libraries (build/tests/test_actorlib, run by tests/run-tests)
$(eval $(call cmocka_test,test_actorlib,actors/lib/tests/test_actorlib.c,,,boot rpm sys))
# a test actor asking one question of each dialog component (tests/facts/test-dialog-components.sh)
$(BUILD)/tests/dialogactor: $(BUILD)/actors/lib/tests/dialogactor.o $(BUILD)/libmsg.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBMSG_LIBS)
all: $(BUILD)/tests/dialogactor

# the fuzz target of the fact parsers: replayed over its corpus by
# actors/lib/tests/test-fuzz-facts.sh; `make fuzz-facts FUZZ_SECONDS=N` runs libFuzzer on it
$(BUILD)/tests/fuzz-replay-facts: $(BUILD)/actors/lib/tests/fuzz_facts.o $(BUILD)/tests/fuzz/replay.o $(call domain_archives,boot rpm sys) $(BUILD)/libmsg.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $(filter %.o,$^) $(call domain_ldlibs,boot rpm sys) $(BUILD)/libmsg.a $(LIBMSG_LIBS)
all: $(BUILD)/tests/fuzz-replay-facts

FUZZ_FACTS_OBJS := actors/lib/boot/bls.o actors/lib/rpm/evr.o actors/lib/sys/mounts.o actors/lib/sys/osrelease.o \
	actors/lib/sys/sshd.o actors/lib/tests/fuzz_facts.o
fuzz-facts:
	$(MAKE) BUILD=build-fuzz CC=clang CFLAGS="-O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -Wno-unused-variable" \
		LDFLAGS="-fsanitize=address,undefined" build-fuzz/libmsg.a $(addprefix build-fuzz/,$(FUZZ_FACTS_OBJS))
	clang -fsanitize=fuzzer,address,undefined -o build-fuzz/fuzz-facts $(addprefix build-fuzz/,$(FUZZ_FACTS_OBJS)) \
		build-fuzz/libmsg.a $$($(PKG_CONFIG) --libs mount blkid) $(LIBMSG_LIBS)
	mkdir -p build-fuzz/corpus-facts
	nice -n 10 build-fuzz/fuzz-facts -max_total_time=$(or $(FUZZ_SECONDS),60) -max_len=8192 -print_final_stats=1 \
		-artifact_prefix=build-fuzz/crash-facts- build-fuzz/corpus-facts actors/lib/tests/corpus/facts
.PHONY: fuzz-facts

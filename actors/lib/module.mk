# actors/lib: code several actors share (repo files, rpmdb, BLS entries, ...), as libactor.a.
# Pieces that need librpm/libsolv/libcurl live in their own archives so that actors which do
# not need those libraries do not link them (DESIGN.md section 10).
LIBACTOR_SRCS := $(filter-out $(LIBACTOR_EXCLUDE),$(wildcard actors/lib/*.c))
LIBACTOR_OBJS := $(addprefix $(BUILD)/,$(LIBACTOR_SRCS:.c=.o))

$(BUILD)/libactor.a: $(LIBACTOR_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

all: $(BUILD)/libactor.a

# compile flags for the optional pieces (an actor links only the libraries of the objects it uses)
ACTOR_LIB_PKGS := rpm libsolv libsolvext libcurl mount blkid modulemd-2.0 glib-2.0
CFLAGS_actors_lib_ += $(shell $(PKG_CONFIG) --cflags $(ACTOR_LIB_PKGS) 2>/dev/null)

# unit tests of the shared code (build/tests/test_actorlib, run by tests/run-tests)
$(eval $(call cmocka_test,test_actorlib,actors/lib/tests/test_actorlib.c,mount blkid,$(BUILD)/libactor.a $(BUILD)/libmsg.a))
# a test actor asking one question of each dialog component (tests/facts/test-dialog-components.sh)
$(BUILD)/tests/dialogactor: $(BUILD)/actors/lib/tests/dialogactor.o $(BUILD)/libmsg.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBMSG_LIBS)
all: $(BUILD)/tests/dialogactor

# the fuzz target of this library's parsers: replayed over its corpus by
# actors/lib/tests/test-fuzz-facts.sh; `make fuzz-facts FUZZ_SECONDS=N` runs libFuzzer on it
$(BUILD)/tests/fuzz-replay-facts: $(BUILD)/actors/lib/tests/fuzz_facts.o $(BUILD)/tests/fuzz/replay.o $(BUILD)/libactor.a $(BUILD)/libmsg.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $$($(PKG_CONFIG) --libs mount blkid) $(LIBMSG_LIBS)
all: $(BUILD)/tests/fuzz-replay-facts

FUZZ_FACTS_OBJS := actors/lib/bls.o actors/lib/evr.o actors/lib/mounts.o actors/lib/osrelease.o actors/lib/sshd.o \
	actors/lib/tests/fuzz_facts.o
fuzz-facts:
	$(MAKE) BUILD=build-fuzz CC=clang CFLAGS="-O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined" \
		LDFLAGS="-fsanitize=address,undefined" build-fuzz/libmsg.a $(addprefix build-fuzz/,$(FUZZ_FACTS_OBJS))
	clang -fsanitize=fuzzer,address,undefined -o build-fuzz/fuzz-facts $(addprefix build-fuzz/,$(FUZZ_FACTS_OBJS)) \
		build-fuzz/libmsg.a $$($(PKG_CONFIG) --libs mount blkid) $(LIBMSG_LIBS)
	mkdir -p build-fuzz/corpus-facts
	build-fuzz/fuzz-facts -max_total_time=$(or $(FUZZ_SECONDS),60) -max_len=8192 -artifact_prefix=build-fuzz/crash-facts- \
		build-fuzz/corpus-facts actors/lib/tests/corpus/facts
.PHONY: fuzz-facts

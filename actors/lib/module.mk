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

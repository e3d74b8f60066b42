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

# broker: the leapp command (CLI + broker). It never links librpm or libsolv (DESIGN.md section 10).
BROKER_SRCS := $(wildcard broker/*.c)
# the broker includes its own headers and libmsg's, never an actor library (DESIGN.md section 8)
WALLS_broker_ := broker/ libmsg/
BROKER_OBJS := $(addprefix $(BUILD)/,$(BROKER_SRCS:.c=.o))
BROKER_PKGS := libuv sqlite3 libseccomp
BROKER_LIBS := $(shell $(PKG_CONFIG) --libs $(BROKER_PKGS))

$(BUILD)/leapp: $(BROKER_OBJS) $(BUILD)/libmsg.a
	$(CC) $(ALL_LDFLAGS) -o $@ $(BROKER_OBJS) $(BUILD)/libmsg.a $(BROKER_LIBS) $(LIBMSG_LIBS)

all: $(BUILD)/leapp

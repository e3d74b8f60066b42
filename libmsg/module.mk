# libmsg: frames, msgpack/JSON, models, manifests, the actor API; and the leapp-msg helper.
LIBMSG_SRCS := $(wildcard libmsg/src/*.c)
# libmsg includes nothing outside itself (DESIGN.md section 8)
WALLS_libmsg_src_ := libmsg/
WALLS_libmsg_tools_ := libmsg/
LIBMSG_OBJS := $(addprefix $(BUILD)/,$(LIBMSG_SRCS:.c=.o))
LIBMSG_PKGS := $(PC_MSGPACK) jansson yaml-0.1
LIBMSG_LIBS := $(shell $(PKG_CONFIG) --libs $(LIBMSG_PKGS))
ALL_CFLAGS += $(shell $(PKG_CONFIG) --cflags $(LIBMSG_PKGS))

$(BUILD)/libmsg.a: $(LIBMSG_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/leapp-msg: $(BUILD)/libmsg/tools/leapp-msg.o $(BUILD)/libmsg.a
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBMSG_LIBS)

# model schemas are data: copied into the share tree
LIBMSG_MODELS := $(wildcard libmsg/models/*.yaml)
$(SHARE)/models/%.yaml: libmsg/models/%.yaml
	@mkdir -p $(dir $@)
	cp $< $@

all: $(BUILD)/libmsg.a $(BUILD)/leapp-msg $(patsubst libmsg/models/%,$(SHARE)/models/%,$(LIBMSG_MODELS))

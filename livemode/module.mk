# livemode (issue 10): the live-mode actors, liblivemode.a (the code they share) and the files
# installed into the live image, copied into the share tree as $(SHARE)/livemode/<file>.
LIVEMODE_FILES := $(wildcard livemode/files/*)
$(SHARE)/livemode/%: livemode/files/%
	@mkdir -p $(dir $@)
	cp $< $@
all: $(patsubst livemode/files/%,$(SHARE)/livemode/%,$(LIVEMODE_FILES))

LIBLIVEMODE_SRCS := $(wildcard livemode/lib/*.c)
LIBLIVEMODE_OBJS := $(addprefix $(BUILD)/,$(LIBLIVEMODE_SRCS:.c=.o))
CFLAGS_livemode_lib_ += -Iinitramfs/lib -Ilivemode/lib
$(BUILD)/liblivemode.a: $(LIBLIVEMODE_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^
all: $(BUILD)/liblivemode.a

# livemode_actor NAME, SOURCES, EXTRA_PKGS, EXTRA_LDLIBS: a C actor in livemode/NAME linked with liblivemode.a
# and libinitramfs.a (dracut runs, boot files, the leapp payload)
define livemode_actor
CFLAGS_livemode_$(1)_ += -Iinitramfs/lib -Ilivemode/lib
$(SHARE)/actors/$(1)/$(1): $(BUILD)/liblivemode.a $(BUILD)/libinitramfs.a
$(call c_actor,$(1),livemode/$(1),$(2),mount blkid $(3),$(BUILD)/liblivemode.a $(BUILD)/libinitramfs.a $(BUILD)/libactor.a $(BUILD)/libmsg.a -lmount -lblkid $(4))
endef

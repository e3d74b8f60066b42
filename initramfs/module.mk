# initramfs: the dracut modules of the upgrade initramfs (installed into the share tree as
# $(SHARE)/dracut/modules.d/<NNname>/), and libinitramfs.a, the code its actors share.
DRACUT_MODULE_FILES := $(wildcard initramfs/85sys-upgrade-redhat/* initramfs/90sys-upgrade/*)
$(SHARE)/dracut/modules.d/%: initramfs/%
	@mkdir -p $(dir $@)
	cp $< $@
all: $(patsubst initramfs/%,$(SHARE)/dracut/modules.d/%,$(DRACUT_MODULE_FILES))

LIBINITRAMFS_SRCS := $(wildcard initramfs/lib/*.c)
LIBINITRAMFS_OBJS := $(addprefix $(BUILD)/,$(LIBINITRAMFS_SRCS:.c=.o))
CFLAGS_initramfs_lib_ += -Iinitramfs/lib
$(BUILD)/libinitramfs.a: $(LIBINITRAMFS_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^
all: $(BUILD)/libinitramfs.a

# initramfs_actor NAME, SOURCES, EXTRA_PKGS, EXTRA_LDLIBS: a C actor in initramfs/NAME linked with libinitramfs.a
define initramfs_actor
CFLAGS_initramfs_$(1)_ += -Iinitramfs/lib
$(SHARE)/actors/$(1)/$(1): $(BUILD)/libinitramfs.a
$(call c_actor,$(1),initramfs/$(1),$(2),$(3),$(BUILD)/libinitramfs.a $(BUILD)/libactor.a $(BUILD)/libmsg.a $(4))
endef

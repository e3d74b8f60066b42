# livemode (issue 10): the live-mode actors, liblivemode.a (the code they share) and the files
# installed into the live image, copied into the share tree as $(SHARE)/livemode/<file>.
LIVEMODE_FILES := $(wildcard livemode/files/*)
$(SHARE)/livemode/%: livemode/files/%
	@mkdir -p $(dir $@)
	cp $< $@
all: $(patsubst livemode/files/%,$(SHARE)/livemode/%,$(LIVEMODE_FILES))
# the mounting the two boot paths share, installed into the live image by prepare_live_image
$(SHARE)/livemode/upgrade-mount-lib.sh: actors/lib/boot/upgrade-mount-lib.sh
	@mkdir -p $(dir $@)
	cp $< $@
all: $(SHARE)/livemode/upgrade-mount-lib.sh
# the rollback the two boot paths share (the upgrade initramfs's hook), installed the same way
$(SHARE)/livemode/upgrade-rollback.sh: initramfs/85sys-upgrade-redhat/upgrade-rollback.sh
	@mkdir -p $(dir $@)
	cp $< $@
all: $(SHARE)/livemode/upgrade-rollback.sh

LIBLIVEMODE_SRCS := $(wildcard livemode/lib/*.c)
LIBLIVEMODE_OBJS := $(addprefix $(BUILD)/,$(LIBLIVEMODE_SRCS:.c=.o))
LIVEMODE_DOMAINS := boot sys
$(eval $(call use_domains,livemode/lib/,$(LIVEMODE_DOMAINS)))
WALLS_livemode_lib_ := livemode/lib/ libmsg/ $(call domain_walls,$(LIVEMODE_DOMAINS))
$(BUILD)/liblivemode.a: $(LIBLIVEMODE_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^
all: $(BUILD)/liblivemode.a

# livemode_actor NAME, SOURCES, EXTRA_PKGS, EXTRA_LDLIBS, DOMAINS: a C actor in livemode/NAME linked with
# liblivemode.a (livemode/lib: what only live mode needs) and the domain libraries DOMAINS (and the
# ones liblivemode uses)
define livemode_actor
CFLAGS_livemode_$(1)_ += -Ilivemode/lib
WALLS_livemode_$(1)_ += livemode/lib/
$(SHARE)/actors/$(1)/$(1): $(BUILD)/liblivemode.a
$(call c_actor,$(1),livemode/$(1),$(2),$(3),$(BUILD)/liblivemode.a $(4),$(sort $(5) $(LIVEMODE_DOMAINS)))
endef

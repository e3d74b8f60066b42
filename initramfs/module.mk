# initramfs: the dracut modules of the upgrade initramfs (installed into the share tree as
# $(SHARE)/dracut/modules.d/<NNname>/) and the actors that build it and its boot entry. The code
# they share with live mode is the boot domain (actors/lib/boot/).
DRACUT_MODULE_FILES := $(wildcard initramfs/85sys-upgrade-redhat/* initramfs/90sys-upgrade/*)
$(SHARE)/dracut/modules.d/%: initramfs/%
	@mkdir -p $(dir $@)
	cp $< $@
all: $(patsubst initramfs/%,$(SHARE)/dracut/modules.d/%,$(DRACUT_MODULE_FILES))
# the mounting the two boot paths share, installed into the upgrade initramfs by 85sys-upgrade-redhat
$(SHARE)/dracut/modules.d/85sys-upgrade-redhat/upgrade-mount-lib.sh: actors/lib/boot/upgrade-mount-lib.sh
	@mkdir -p $(dir $@)
	cp $< $@
all: $(SHARE)/dracut/modules.d/85sys-upgrade-redhat/upgrade-mount-lib.sh

# initramfs_actor NAME, SOURCES, EXTRA_PKGS, EXTRA_LDLIBS, DOMAINS: a C actor in initramfs/NAME using
# the domain libraries DOMAINS (boot: dracut runs, boot files, the upgrade image; sys; fs; ...)
define initramfs_actor
$(call c_actor,$(1),initramfs/$(1),$(2),$(3),$(4),$(5))
endef

# Top-level build: one make invocation; each folder contributes a module.mk / actor.mk fragment.
#
#   make              build everything into build/ (the command is build/leapp)
#   make check        build plain and sanitized, run every test on both
#                     (ends with "N passed, N failed")
#   make check-plain  the plain build only
#   make check-faults the fault injection over every N: the store, allocations (long; tests/engine/module.mk)
#   make SAN=1 ...    AddressSanitizer + UBSan build, into build-san/
#   make bench        run every benchmark; one table of figures, comparisons and goals (+ JSON)
#   make demo         build and run the demo upgrade
#   make fuzz-run     run the libFuzzer targets (FUZZ_SECONDS=60 each)
#   make install      PREFIX=/usr/local DESTDIR= (and uninstall, dist: packaging/module.mk)
#   make check-fleet  leapp-fleet against real sshd; check-ansible: infra.leapp; check-packaging

SAN ?=
ifeq ($(SAN),1)
BUILD ?= build-san
SAN_FLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined -DLEAPP_SANITIZER_BUILD=1
OPT = -O1
else
BUILD ?= build
SAN_FLAGS =
OPT = -O2
endif

CC ?= gcc
PKG_CONFIG ?= pkg-config
WARN = -Wall -Wextra -Werror -Wno-unused-parameter -Wshadow -Wformat=2 -Wmissing-prototypes -Wstrict-prototypes
CFLAGS ?= $(OPT) -g
# the only include path every part has is libmsg's; a part's make fragment adds the folders it may
# use (DESIGN.md section 8), and WALLS_<dir> lists them for the include check below
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE -D_FILE_OFFSET_BITS=64 $(WARN) $(CFLAGS) $(SAN_FLAGS) -fPIC -MMD -MP \
	-Ilibmsg/include
ALL_LDFLAGS = $(LDFLAGS) $(SAN_FLAGS)

# where the built tree puts its data (actors, models, phases, files); build/leapp finds it by its own path
SHARE = $(BUILD)/share/leapp

pc = $(shell $(PKG_CONFIG) --cflags --libs $(1))
PC_MSGPACK := $(shell $(PKG_CONFIG) --exists msgpack-c && echo msgpack-c || echo msgpack)

.PHONY: all check check-plain check-upgrade-long check-crash bench demo clean fuzz vm-test vm-lvm
# keep intermediate objects (pattern-rule chains would delete them and rebuild every time)
.SECONDARY:
all:

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(CFLAGS_$(subst /,_,$(dir $<))) -c -o $@ $<
	$(if $(WALLS_$(subst /,_,$(dir $<))),@scripts/check-walls $< $(@:.o=.d) $(WALLS_$(subst /,_,$(dir $<))) || { rm -f $@; exit 1; })

# ---- the domain libraries (actors/lib/<domain>/, DESIGN.md section 8) ----
# DOMAIN_DEPS_<d>: the domains d uses; DOMAIN_PKGS_<d>: its pkg-config libraries. An actor names the
# domains it uses; it gets their folders (and their dependencies') as -I, and links their archives.
DOMAINS := sys fs rpm fetch plan boot
DOMAIN_LINK_ORDER := boot plan fetch fs rpm sys
DOMAIN_DEPS_sys :=
DOMAIN_DEPS_fs := sys
DOMAIN_DEPS_rpm :=
DOMAIN_DEPS_fetch := rpm
DOMAIN_DEPS_plan := fetch rpm
DOMAIN_DEPS_boot := sys fs rpm
DOMAIN_PKGS_sys := mount blkid
DOMAIN_PKGS_fs :=
DOMAIN_PKGS_rpm := rpm sqlite3
DOMAIN_PKGS_fetch := libcurl
DOMAIN_PKGS_plan := libsolv libsolvext modulemd-2.0 glib-2.0
DOMAIN_PKGS_boot :=
# the domains named and all they depend on
domain_closure = $(sort $(foreach d,$(1),$(d) $(call domain_closure,$(DOMAIN_DEPS_$(d)))))
domain_incs = $(addprefix -Iactors/lib/,$(call domain_closure,$(1)))
domain_walls = $(addsuffix /,$(addprefix actors/lib/,$(call domain_closure,$(1))))
domain_pkgs = $(sort $(foreach d,$(call domain_closure,$(1)),$(DOMAIN_PKGS_$(d))))
domain_archives = $(foreach d,$(DOMAIN_LINK_ORDER),$(if $(filter $(d),$(call domain_closure,$(1))),$(BUILD)/libdomain-$(d).a))
# compile flags of the domains' libraries (pkg-config once for all)
DOMAIN_PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(sort $(foreach d,$(DOMAINS),$(DOMAIN_PKGS_$(d)))) 2>/dev/null)
# what a program using these domains links after its objects: the archives, then their libraries
# (--as-needed: an actor that uses no object needing librpm does not load it)
AS_NEEDED := -Wl,--as-needed
NO_AS_NEEDED := -Wl,--no-as-needed
$(foreach d,$(DOMAINS),$(eval DOMAIN_PKG_LIBS_$(d) := $(if $(DOMAIN_PKGS_$(d)),$(shell $(PKG_CONFIG) --libs $(DOMAIN_PKGS_$(d))))))
domain_ldlibs = $(call domain_archives,$(1)) $(if $(call domain_pkgs,$(1)),$(AS_NEEDED) $(foreach d,$(call domain_closure,$(1)),$(DOMAIN_PKG_LIBS_$(d))) $(NO_AS_NEEDED))

# use_domains DIR/, DOMAINS: sources in DIR see those domains' headers (and only those)
define use_domains
CFLAGS_$(subst /,_,$(1)) += $(call domain_incs,$(2)) $(if $(call domain_pkgs,$(2)),$$(DOMAIN_PKG_CFLAGS))
endef

# c_actor NAME, SRCDIR, SOURCES(relative to SRCDIR), EXTRA_LIBS(pkg-config names), EXTRA_LDLIBS, DOMAINS
# builds $(SHARE)/actors/NAME/NAME and copies SRCDIR/actor.yaml beside it. DOMAINS: the domain
# libraries (actors/lib/<d>/) the actor uses: their headers are all it may include besides its
# own folder and libmsg (a forbidden include fails the build: scripts/check-walls).
define c_actor
$(1)_OBJS := $(addprefix $(BUILD)/$(2)/,$(3:.c=.o))
CFLAGS_$(subst /,_,$(2)/) += $(if $(4),$$(shell $(PKG_CONFIG) --cflags $(4)))
$(call use_domains,$(2)/,$(6))
WALLS_$(subst /,_,$(2)/) += $(2)/ libmsg/ $(call domain_walls,$(6))
$(SHARE)/actors/$(1)/$(1): $$($(1)_OBJS) $(call domain_archives,$(6)) $(BUILD)/libmsg.a
	@mkdir -p $$(dir $$@)
	$$(CC) $(ALL_LDFLAGS) -o $$@ $$($(1)_OBJS) $(5) $(call domain_ldlibs,$(6)) $(BUILD)/libmsg.a $(if $(4),$$(shell $(PKG_CONFIG) --libs $(4))) $$(LIBMSG_LIBS)
$(SHARE)/actors/$(1)/actor.yaml: $(2)/actor.yaml
	@mkdir -p $$(dir $$@)
	cp $$< $$@
all: $(SHARE)/actors/$(1)/$(1) $(SHARE)/actors/$(1)/actor.yaml
endef

# script_actor NAME, SRCDIR, SCRIPT: a shell-script actor
define script_actor
$(SHARE)/actors/$(1)/$(3): $(2)/$(3)
	@mkdir -p $$(dir $$@)
	cp $$< $$@
	chmod +x $$@
$(SHARE)/actors/$(1)/actor.yaml: $(2)/actor.yaml
	@mkdir -p $$(dir $$@)
	cp $$< $$@
all: $(SHARE)/actors/$(1)/$(3) $(SHARE)/actors/$(1)/actor.yaml
endef

# cmocka_test NAME, SOURCES, EXTRA_LIBS(pkg-config), EXTRA_OBJS/LDLIBS, DOMAINS
define cmocka_test
$(foreach dir,$(sort $(dir $(2))),$(call use_domains,$(dir),$(5))
)
$(BUILD)/tests/$(1): $(addprefix $(BUILD)/,$(2:.c=.o)) $(4) $(call domain_archives,$(5)) $(BUILD)/libmsg.a
	@mkdir -p $$(dir $$@)
	$$(CC) $(ALL_LDFLAGS) -o $$@ $$(filter %.o,$$^) $(filter-out $(BUILD)/libmsg.a,$(4)) $(call domain_ldlibs,$(5)) $(BUILD)/libmsg.a $(if $(3),$$(shell $(PKG_CONFIG) --libs $(3))) $$(LIBMSG_LIBS) -lcmocka
all: $(BUILD)/tests/$(1)
endef

include libmsg/module.mk
include broker/module.mk
include phases/module.mk
include files/module.mk
-include actors/lib/module.mk
-include $(sort $(wildcard actors/*/actor.mk))
-include initramfs/module.mk
-include $(sort $(wildcard initramfs/*/actor.mk))
-include livemode/module.mk
-include $(sort $(wildcard livemode/*/actor.mk))
-include tests/module.mk
-include tests/engine/module.mk
-include tests/bench/module.mk
-include tests/sandbox/module.mk
-include tests/fuzz/module.mk
-include tests/vm/module.mk
-include packaging/module.mk

# every test on the plain build, then again on the sanitizer build
check: all
	$(MAKE) SAN=1 all
	tests/run-tests --san

# the plain build only (quicker while developing)
check-plain: all
	tests/run-tests

# the long variant of the upgrade crash test: every actor, dracut included (several minutes)
check-upgrade-long: all
	U_CRASH_FULL=1 tests/run-tests test-upgrade-crash

# the crash points of tests/upgrade/test-upgrade-crash.sh, every one (30 or more) in the order of
# a seed, printed (U_CRASH_SEED=S reruns it; default: from the clock); the named cases are left out
check-crash: all
	U_CRASH_SEED=$${U_CRASH_SEED:-$$(date +%s)} U_CRASH_POINTS=all U_CRASH_SEEDED_ONLY=1 tests/run-tests test-upgrade-crash

# every benchmark, then one table of every figure beside its comparison and goal, also written
# as JSON to build/bench/ (scripts/bench-table; docs/benchmarks.md records the figures)
bench: all
	scripts/bench-table

demo:
	scripts/demo.sh

clean:
	rm -rf build build-san

-include $(shell find $(BUILD) -path "$(BUILD)/sysroot-cache" -prune -o -type f -name "*.d" -print 2>/dev/null)

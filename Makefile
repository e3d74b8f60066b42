# Top-level build: one make invocation; each folder contributes a module.mk / actor.mk fragment.
#
#   make              build everything into build/ (the command is build/leapp)
#   make check        build plain and sanitized, run every test on both
#                     (ends with "N passed, N failed")
#   make check-plain  the plain build only
#   make SAN=1 ...    AddressSanitizer + UBSan build, into build-san/
#   make bench        print the benchmark figures
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
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE -D_FILE_OFFSET_BITS=64 $(WARN) $(CFLAGS) $(SAN_FLAGS) -fPIC -MMD -MP \
	-Ilibmsg/include -Iactors/lib
ALL_LDFLAGS = $(LDFLAGS) $(SAN_FLAGS)

# where the built tree puts its data (actors, models, phases, files); build/leapp finds it by its own path
SHARE = $(BUILD)/share/leapp

pc = $(shell $(PKG_CONFIG) --cflags --libs $(1))
PC_MSGPACK := $(shell $(PKG_CONFIG) --exists msgpack-c && echo msgpack-c || echo msgpack)

.PHONY: all check check-plain check-upgrade-long bench demo clean fuzz vm-test
# keep intermediate objects (pattern-rule chains would delete them and rebuild every time)
.SECONDARY:
all:

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(CFLAGS_$(subst /,_,$(dir $<))) -c -o $@ $<

# c_actor NAME, SRCDIR, SOURCES(relative to SRCDIR), EXTRA_LIBS(pkg-config names), EXTRA_LDLIBS
# builds $(SHARE)/actors/NAME/NAME and copies SRCDIR/actor.yaml beside it
define c_actor
$(1)_OBJS := $(addprefix $(BUILD)/$(2)/,$(3:.c=.o))
CFLAGS_$(subst /,_,$(2))/ += $(if $(4),$$(shell $(PKG_CONFIG) --cflags $(4)))
$(SHARE)/actors/$(1)/$(1): $$($(1)_OBJS) $(BUILD)/libactor.a $(BUILD)/libmsg.a
	@mkdir -p $$(dir $$@)
	$$(CC) $(ALL_LDFLAGS) -o $$@ $$($(1)_OBJS) $(BUILD)/libactor.a $(BUILD)/libmsg.a $(if $(4),$$(shell $(PKG_CONFIG) --libs $(4))) $(5) $$(LIBMSG_LIBS)
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

# cmocka_test NAME, SOURCES, EXTRA_LIBS(pkg-config), EXTRA_OBJS/LDLIBS
define cmocka_test
$(BUILD)/tests/$(1): $(addprefix $(BUILD)/,$(2:.c=.o)) $(4)
	@mkdir -p $$(dir $$@)
	$$(CC) $(ALL_LDFLAGS) -o $$@ $$(filter %.o %.a,$$^) $(if $(3),$$(shell $(PKG_CONFIG) --libs $(3))) $$(LIBMSG_LIBS) -lcmocka
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

# every benchmark; each prints its figures (docs/benchmarks.md records them)
BENCHES := bench-engine bench-sandbox bench-preupgrade bench-plan bench-download bench-upgrade bench-sysroot
bench: all
	@for b in $(BENCHES); do if [ -x scripts/$$b ]; then echo "### scripts/$$b"; scripts/$$b || exit 1; fi; done

demo:
	scripts/demo.sh

clean:
	rm -rf build build-san

-include $(shell find $(BUILD) -path "$(BUILD)/sysroot-cache" -prune -o -type f -name "*.d" -print 2>/dev/null)

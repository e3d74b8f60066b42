# tests/engine: the audit store's fault-injection shim (LD_PRELOAD into build/leapp; see faultshim.c).
# Built without the sanitizers: it is preloaded ahead of the sanitizer runtime.
$(BUILD)/tests/faultshim.so: tests/engine/faultshim.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) -fPIC -shared -o $@ $< $(shell $(PKG_CONFIG) --libs sqlite3) -ldl
all: $(BUILD)/tests/faultshim.so

# the long form of the fault injection: every N for every read, write and sync of the store over
# a whole demo preupgrade (about 1,200 runs; make check runs a sample of 4 each); every failed
# allocation N up to the first actor of a small preupgrade and every 7th after it, and 40 over
# the demo's (about 17,400 runs; make check runs 9); the store's faults over a whole demo upgrade
# (tests/upgrade/faults-upgrade.sh, 36 points, seeded; not in make check)
.PHONY: check-faults
check-faults: all
	T_FAULT_ALL=1 tests/run-tests tests/engine/test-fault-loop.sh
	T_FAULT_ALL=1 tests/run-tests tests/engine/test-fault-alloc.sh
	T_BUILD=$(BUILD) T_FAULT_POINTS=all tests/upgrade/faults-upgrade.sh

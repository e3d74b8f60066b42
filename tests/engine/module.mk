# tests/engine: the audit store's fault-injection shim (LD_PRELOAD into build/leapp; see faultshim.c).
# Built without the sanitizers: it is preloaded ahead of the sanitizer runtime.
$(BUILD)/tests/faultshim.so: tests/engine/faultshim.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) -fPIC -shared -o $@ $< $(shell $(PKG_CONFIG) --libs sqlite3) -ldl
all: $(BUILD)/tests/faultshim.so

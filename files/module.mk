# files: the built-in default data files, installed into the share tree.
DATA_FILES := $(shell find files -type f ! -name module.mk ! -name README.md)
$(SHARE)/%: %
	@mkdir -p $(dir $@)
	cp $< $@
all: $(addprefix $(SHARE)/,$(DATA_FILES))

# phases: the workflow definition, copied into the share tree.
$(SHARE)/phases/%.yaml: phases/%.yaml
	@mkdir -p $(dir $@)
	cp $< $@
all: $(patsubst phases/%,$(SHARE)/phases/%,$(wildcard phases/*.yaml))

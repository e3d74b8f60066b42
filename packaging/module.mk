# Installing, the release tarball and the RPM: make install / uninstall / dist (packaging/).
#   make install PREFIX=/usr DESTDIR=/tmp/root
#     bin/leapp, bin/leapp-fleet; libexec/leapp/actors (the actors), libexec/leapp/leapp-msg;
#     share/leapp (models, phases, built-in data files, live-mode files; /etc/leapp/files
#     overrides a data file); dracut's module directory; man8; bash completion;
#     include/leapp/*.h, lib/libleappmsg.a and lib/pkgconfig/leapp-libmsg.pc (third-party actors);
#     leapp-rollback-report.service, enabled (the first boot after a rollback reports it)
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
LIBEXECDIR ?= $(PREFIX)/libexec
DATADIR ?= $(PREFIX)/share
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
MANDIR ?= $(DATADIR)/man
DRACUTDIR ?= $(PREFIX)/lib/dracut/modules.d
BASHCOMPDIR ?= $(DATADIR)/bash-completion/completions
UNITDIR ?= $(PREFIX)/lib/systemd/system
VERSION := $(shell sed -n 's/^\#define LEAPP_VERSION "\(.*\)"/\1/p' broker/main.c)
DIST := leapp-$(VERSION)

.PHONY: install uninstall dist check-fleet check-ansible check-packaging

MAN_PAGES := $(BUILD)/man/leapp.8 $(BUILD)/man/leapp-fleet.8
$(BUILD)/man/leapp.8: docs/leapp.1.md packaging/md2man.py
	@mkdir -p $(dir $@)
	python3 packaging/md2man.py leapp 8 <$< >$@
$(BUILD)/man/leapp-fleet.8: docs/leapp-fleet.8.md packaging/md2man.py
	@mkdir -p $(dir $@)
	python3 packaging/md2man.py leapp-fleet 8 <$< >$@
$(BUILD)/leapp-libmsg.pc: packaging/leapp-libmsg.pc.in broker/main.c
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	    -e 's|@VERSION@|$(VERSION)|' -e 's|@PKGS@|$(LIBMSG_PKGS)|' $< >$@
all: $(MAN_PAGES)

install: all $(BUILD)/leapp-libmsg.pc
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBEXECDIR)/leapp $(DESTDIR)$(DATADIR)/leapp \
		$(DESTDIR)$(DRACUTDIR) $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(BASHCOMPDIR) \
		$(DESTDIR)$(INCLUDEDIR)/leapp $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(DATADIR)/leapp/dracut/modules.d
	install -m 0755 $(BUILD)/leapp $(DESTDIR)$(BINDIR)/leapp
	install -m 0755 scripts/leapp-fleet $(DESTDIR)$(BINDIR)/leapp-fleet
	install -m 0755 $(BUILD)/leapp-msg $(DESTDIR)$(LIBEXECDIR)/leapp/leapp-msg
	ln -sf ../libexec/leapp/leapp-msg $(DESTDIR)$(BINDIR)/leapp-msg
	cp -R $(SHARE)/actors $(DESTDIR)$(LIBEXECDIR)/leapp/
	for d in models phases files livemode; do [ -d $(SHARE)/$$d ] && cp -R $(SHARE)/$$d $(DESTDIR)$(DATADIR)/leapp/ || true; done
	for m in $(SHARE)/dracut/modules.d/*; do \
		cp -R $$m $(DESTDIR)$(DRACUTDIR)/ && \
		ln -sfn $(DRACUTDIR)/$$(basename $$m) $(DESTDIR)$(DATADIR)/leapp/dracut/modules.d/$$(basename $$m); done
	install -m 0644 $(MAN_PAGES) $(DESTDIR)$(MANDIR)/man8/
	install -m 0644 packaging/leapp.bash-completion $(DESTDIR)$(BASHCOMPDIR)/leapp
	ln -sf leapp $(DESTDIR)$(BASHCOMPDIR)/leapp-fleet
	install -m 0644 libmsg/include/leapp/*.h $(DESTDIR)$(INCLUDEDIR)/leapp/
	install -m 0644 $(BUILD)/libmsg.a $(DESTDIR)$(LIBDIR)/libleappmsg.a
	install -m 0644 $(BUILD)/leapp-libmsg.pc $(DESTDIR)$(LIBDIR)/pkgconfig/leapp-libmsg.pc
	install -d $(DESTDIR)$(UNITDIR)/multi-user.target.wants
	sed 's|@BINDIR@|$(BINDIR)|' packaging/leapp-rollback-report.service >$(DESTDIR)$(UNITDIR)/leapp-rollback-report.service
	ln -sf ../leapp-rollback-report.service $(DESTDIR)$(UNITDIR)/multi-user.target.wants/leapp-rollback-report.service

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/leapp $(DESTDIR)$(BINDIR)/leapp-fleet $(DESTDIR)$(BINDIR)/leapp-msg
	rm -rf $(DESTDIR)$(LIBEXECDIR)/leapp $(DESTDIR)$(DATADIR)/leapp $(DESTDIR)$(INCLUDEDIR)/leapp
	rm -rf $(DESTDIR)$(DRACUTDIR)/85sys-upgrade-redhat $(DESTDIR)$(DRACUTDIR)/90sys-upgrade
	rm -f $(DESTDIR)$(MANDIR)/man8/leapp.8 $(DESTDIR)$(MANDIR)/man8/leapp-fleet.8
	rm -f $(DESTDIR)$(BASHCOMPDIR)/leapp $(DESTDIR)$(BASHCOMPDIR)/leapp-fleet
	rm -f $(DESTDIR)$(LIBDIR)/libleappmsg.a $(DESTDIR)$(LIBDIR)/pkgconfig/leapp-libmsg.pc
	rm -f $(DESTDIR)$(UNITDIR)/leapp-rollback-report.service $(DESTDIR)$(UNITDIR)/multi-user.target.wants/leapp-rollback-report.service

# the release tarball: every file git tracks, under leapp-VERSION/
dist:
	@mkdir -p $(BUILD)
	git ls-files -z | tar --null -T - --transform 's|^|$(DIST)/|' -czf $(BUILD)/$(DIST).tar.gz
	@echo $(BUILD)/$(DIST).tar.gz

# The fleet tests. test-*.sh files run in make check too; those that take minutes do not:
# check-fleet-waves.sh (a whole upgrade over ssh), check-ansible.sh (infra.leapp's roles with
# ansible-core) and check-rpm.sh (a whole rpmbuild).
check-fleet: all
	tests/run-tests tests/fleet/test-leapp-fleet
	T_BUILD=$(CURDIR)/$(BUILD) bash tests/fleet/check-fleet-waves.sh
check-packaging: all
	tests/run-tests tests/fleet/test-install
	T_BUILD=$(CURDIR)/$(BUILD) bash tests/fleet/check-rpm.sh
check-ansible: all
	T_BUILD=$(CURDIR)/$(BUILD) bash tests/fleet/check-ansible.sh

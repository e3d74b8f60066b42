#!/bin/bash
# systemd_units_scanner: units enabled through .wants/.requires links; none without the directory.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"

f_tmpdir
R=$F_DIR/root
S=$R/etc/systemd/system
mkdir -p "$S/multi-user.target.wants" "$S/sockets.target.wants" "$S/local-fs.target.requires" "$S/demo.service.d"
ln -s /usr/lib/systemd/system/sshd.service "$S/multi-user.target.wants/sshd.service"
ln -s /usr/lib/systemd/system/crond.service "$S/multi-user.target.wants/crond.service"
ln -s /usr/lib/systemd/system/sshd.service "$S/sockets.target.wants/sshd.service"
ln -s /usr/lib/systemd/system/tmp.mount "$S/local-fs.target.requires/tmp.mount"
ln -s /usr/lib/systemd/system/graphical.target "$S/default.target"
run_actor systemd_units_scanner "$R"
t_eq "enabled units, sorted" '["crond.service","sshd.service","tmp.mount"]' "$(msg SystemdUnits .enabled)"
t_eq "wanted by, sorted" '"multi-user.target,sockets.target"' "$(msg SystemdUnits '.wanted_by["sshd.service"]')"
t_eq "requires links count" '"local-fs.target"' "$(msg SystemdUnits '.wanted_by["tmp.mount"]')"
t_eq "default target" '"graphical.target"' "$(msg SystemdUnits .default_target)"
# a .wants directory that is an absolute symlink is listed inside the root, not on the host
mkdir -p "$R/etc/wants-elsewhere"
ln -s /usr/lib/systemd/system/chronyd.service "$R/etc/wants-elsewhere/chronyd.service"
ln -s /etc/wants-elsewhere "$S/timers.target.wants"
run_actor systemd_units_scanner "$R"
t_eq "an absolutely symlinked .wants directory is read inside the root" '"timers.target"' \
	"$(msg SystemdUnits '.wanted_by["chronyd.service"]')"
rm -r "$R/etc/systemd"
run_actor systemd_units_scanner "$R"
t_eq "no /etc/systemd/system: no units, no warning" '[] ' "$(msg SystemdUnits .enabled) $(report_keys)"
t_done

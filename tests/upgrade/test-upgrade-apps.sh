#!/bin/bash
# The acceptance test of issue 20: a whole upgrade of the apps system (scripts/sysroot/specs/
# apps.yaml: demo plus python36, logrotate run by cron, tuned disabled by the admin, ruby-irb's
# directory that becomes a symlink, a leftover package) with the admin's edited sshd_config:
# preupgrade, upgrade, the interim resume and the first-boot resume all exit 0, and afterwards
#   - sshd_config: the admin's file is kept, with release 9's Include prepended and leapp's comment;
#   - /usr/bin/python3, pip3 and pydoc3 work through the python3 alternative;
#   - services: the enabled ones stay enabled, tuned (the admin disabled it; el9's %post enabled
#     it) is disabled, the new power-profiles-daemon is enabled by its preset, logrotate.timer is
#     enabled (cron ran logrotate);
#   - /usr/share/ruby/irb is release 9's symlink, the old directory moved aside;
#   - old-helper (an el8 leftover nothing needs) is removed;
# plus every check of the demo upgrade (u_check_upgraded). The dracut and boot-entry actors are
# left out (the demo acceptance test covers them).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-upgrade.sh"

u_init
u_actors_noboot
u_sysroot apps apps || { t_fail "mksysroot apps"; t_done; exit 1; }
R=$(u_root apps)
printf '# the admin was here\nClientAliveInterval 300\n' >>"$R/etc/ssh/sshd_config"
t_eq "before: python3 is 3.6's alternative" "/etc/alternatives/python3 /usr/bin/python3.6" \
	"$(readlink "$R/usr/bin/python3") $(readlink "$R/etc/alternatives/python3")"

u_leapp apps preupgrade
t_eq "leapp preupgrade exits 0" 0 "$U_RC" || u_show apps
REP=$R/var/log/leapp/leapp-report.json
t_check "preupgrade: the sshd Include notice" grep -q "The upgrade will prepend the Include directive" <(jq -r '.entries[].title' "$REP")
t_check "preupgrade: the irb directory" grep -q "/usr/share/ruby/irb" \
	<(jq -r '.entries[] | select(.title | startswith("Directories replaced")) | .summary' "$REP")
u_leapp apps upgrade
t_eq "leapp upgrade exits 0" 0 "$U_RC" || u_show apps
u_leapp apps upgrade --resume
t_eq "the interim resume exits 0" 0 "$U_RC" || u_show apps
u_leapp apps upgrade --resume
t_eq "the first-boot resume exits 0" 0 "$U_RC" || u_show apps

u_check_upgraded apps
S=$R/etc/ssh/sshd_config
t_eq "sshd_config: Include prepended, with leapp's comment" \
	"# Added by leapp during the upgrade from release 8 to 9: release 9's|# packages configure sshd through this directory|Include /etc/ssh/sshd_config.d/*.conf" \
	"$(head -3 "$S" | paste -sd'|')"
t_check "sshd_config: the admin's lines kept" grep -qx "ClientAliveInterval 300" "$S"
t_eq "python3: the alternative of 3.9" "/etc/alternatives/python3 /usr/bin/python3.9" \
	"$(readlink "$R/usr/bin/python3") $(readlink "$R/etc/alternatives/python3")"
t_eq "python3: pip3 and pydoc3 too" "/usr/bin/pip3.9 /usr/bin/pydoc3.9" \
	"$(readlink "$R/etc/alternatives/pip3") $(readlink "$R/etc/alternatives/pydoc3")"
t_eq "python3: it runs" "Python 3.9.18" "$(chroot "$R" /usr/bin/python3 2>&1)"
t_check "python3: the alternatives state file" grep -qx "/usr/bin/python3.9" "$R/var/lib/alternatives/python3"
W=$R/etc/systemd/system
t_check "services: the enabled ones stay (sshd, demo-app, acme-agent)" test -L "$W/multi-user.target.wants/sshd.service" \
	-a -L "$W/multi-user.target.wants/demo-app.service" -a -L "$W/multi-user.target.wants/acme-agent.service"
t_check "services: tuned, disabled by the admin, is disabled again" test ! -L "$W/multi-user.target.wants/tuned.service"
t_eq "services: the new power-profiles-daemon enabled by its preset" /usr/lib/systemd/system/power-profiles-daemon.service \
	"$(readlink "$W/multi-user.target.wants/power-profiles-daemon.service")"
t_eq "logrotate.timer enabled (cron ran logrotate)" /usr/lib/systemd/system/logrotate.timer \
	"$(readlink "$W/timers.target.wants/logrotate.timer")"
t_check "logrotate: cron's job is gone with the el8 package" test ! -e "$R/etc/cron.daily/logrotate"
t_eq "irb: release 9's symlink" /usr/share/gems/gems/irb-1.3.5 "$(readlink "$R/usr/share/ruby/irb")"
t_check "irb: the old directory moved aside" test -d "$R/usr/share/ruby/irb.leappsave"
t_check "old-helper: removed" bash -c "! rpm --root '$R' --dbpath /var/lib/rpm -q old-helper >/dev/null 2>&1"
t_eq "old-helper: upstream's removed entry" "high" \
	"$(jq -r '.entries[] | select(.key == "5afbad560709afa4e40a160e40dfd44788ba9c3b") | .severity' "$REP")"
t_done

#!/bin/bash
# systemd across the upgrade, on a small tree run standalone:
# - systemd_services_scanner: states (enabled, disabled, masked, static), presets, broken links,
#   logrotate from cron;
# - check_systemd_broken_symlinks: upstream's two entries (existing enabled unit / unit gone);
# - after a simulated package upgrade (a preset enabled what the admin disabled, a link of an
#   enabled service vanished, a mask vanished, a new service with an enable preset),
#   transition_systemd_services_states produces the tasks and re-masks, enable_logrotate_timer
#   asks for logrotate.timer, and set_systemd_services_states applies them and re-creates the
#   broken link of a unit that moved.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
R=$F_DIR/root
L=$R/usr/lib/systemd/system
E=$R/etc/systemd/system
unitfile() { mkdir -p "$(dirname "$1")" && printf '[Unit]\nDescription=x\n\n[Service]\nExecStart=/bin/true\n%s' "$2" >"$1"; }
INST=$'\n[Install]\nWantedBy=multi-user.target\n'
for u in on admin-off default-off masked moved; do unitfile "$L/$u.service" "$INST"; done
unitfile "$L/static.service" ""
mkdir -p "$E/multi-user.target.wants" "$R/usr/lib/systemd/system-preset" "$R/etc/cron.daily"
ln -s /usr/lib/systemd/system/on.service "$E/multi-user.target.wants/on.service"
ln -s /lib/systemd/system/moved.service "$E/multi-user.target.wants/moved.service"   # broken: no usrmerge link here
ln -s /usr/lib/systemd/system/gone.service "$E/multi-user.target.wants/gone.service"
ln -s /dev/null "$E/masked.service"
printf 'enable admin-off.service\nenable new.service\ndisable *\n' >"$R/usr/lib/systemd/system-preset/90-default.preset"
printf '#!/bin/sh\n/usr/sbin/logrotate /etc/logrotate.conf\n' >"$R/etc/cron.daily/logrotate"

run_actor systemd_services_scanner "$R"
t_eq "scanner: runs" 0 "$A_RC"
t_eq "scanner: states and presets" \
	'["admin-off.service disabled enable","default-off.service disabled disable","masked.service masked disable","moved.service enabled disable","on.service enabled disable","static.service static disable"]' \
	"$(msg SystemdServicesInfoSource '[.service_files[] | "\(.name) \(.state) \(.preset)"]')"
t_eq "scanner: broken links" '["/etc/systemd/system/multi-user.target.wants/gone.service","/etc/systemd/system/multi-user.target.wants/moved.service"]' \
	"$(msg SystemdServicesInfoSource .broken_symlinks)"
t_eq "scanner: logrotate from cron" 'true' "$(msg LogrotateFacts .cron_daily)"
chain_input "$F_DIR/facts.json" "$(ipu 8.10 9.6)"

run_actor check_systemd_broken_symlinks / "$F_DIR/facts.json"
t_eq "check: upstream's two entries" "Detected broken systemd symlinks for existing services|medium;Detected broken systemd symlinks for non-existing services|low" \
	"$(printf '%s' "$A_OUT" | jq -r '[.reports[] | "\(.title)|\(.severity)"] | sort | join(";")')"
t_check "check: the moved unit's link is the existing one" grep -q "moved.service" \
	<<<"$(printf '%s' "$A_OUT" | jq -r '.reports[] | select(.severity == "medium") | .summary')"
t_eq "check: rm for the gone one" '["/usr/bin/rm","/etc/systemd/system/multi-user.target.wants/gone.service"]' \
	"$(printf '%s' "$A_OUT" | jq -c '.reports[] | select(.severity == "low") | .detail.remediations[] | select(.type == "command") | .context')"

# the package upgrade: a preset enabled admin-off, on.service lost its link, the mask went,
# new.service (enable preset) and logrotate.timer arrived, cron's logrotate job went
ln -s /usr/lib/systemd/system/admin-off.service "$E/multi-user.target.wants/admin-off.service"
rm "$E/multi-user.target.wants/on.service" "$E/masked.service" "$R/etc/cron.daily/logrotate"
unitfile "$L/new.service" "$INST"
printf '[Unit]\nDescription=Daily rotation of log files\n\n[Timer]\nOnCalendar=daily\n\n[Install]\nWantedBy=timers.target\n' >"$L/logrotate.timer"
run_actor transition_systemd_services_states "$R" "$F_DIR/facts.json"
t_eq "transition: runs" 0 "$A_RC"
t_eq "transition: the tasks" '{"to_enable":["new.service","on.service"],"to_disable":["admin-off.service"]}' \
	"$(printf '%s' "$A_OUT" | jq -c '[.messages[] | select(.model == "SystemdServicesTasks") | .data] | last | {to_enable: (.to_enable | sort), to_disable}')"
t_eq "transition: the mask is back" /dev/null "$(readlink "$E/masked.service")"
t_eq "transition: upstream's entry and ours" "Previously disabled systemd services were kept disabled;Previously enabled systemd services were kept enabled" \
	"$(printf '%s' "$A_OUT" | jq -r '[.reports[].title] | sort | join(";")')"
TASKS=$(printf '%s' "$A_OUT" | jq -c '[.messages[] | select(.model == "SystemdServicesTasks")]')
run_actor enable_logrotate_timer "$R" "$F_DIR/facts.json"
t_eq "logrotate: the timer asked for" '["logrotate.timer"]' "$(msg SystemdServicesTasks .to_enable)"
TASKS=$(jq -c --argjson b "$(printf '%s' "$A_OUT" | jq -c '[.messages[] | select(.model == "SystemdServicesTasks")]')" '. + $b' <<<"$TASKS")
jq -c '{messages: .}' <<<"$TASKS" >"$F_DIR/tasks.json"
run_actor set_systemd_services_states "$R" "$F_DIR/tasks.json"
t_eq "apply: runs" 0 "$A_RC"
t_eq "apply: on.service enabled again" /usr/lib/systemd/system/on.service "$(readlink "$E/multi-user.target.wants/on.service")"
t_eq "apply: new.service enabled by its preset" /usr/lib/systemd/system/new.service "$(readlink "$E/multi-user.target.wants/new.service")"
t_check "apply: admin-off.service disabled again" test ! -L "$E/multi-user.target.wants/admin-off.service"
t_eq "apply: logrotate.timer enabled" /usr/lib/systemd/system/logrotate.timer "$(readlink "$E/timers.target.wants/logrotate.timer")"
t_eq "apply: the moved unit's link re-created to its file" /usr/lib/systemd/system/moved.service "$(readlink "$E/multi-user.target.wants/moved.service")"
t_check "apply: the gone unit's link removed" test ! -L "$E/multi-user.target.wants/gone.service"
t_eq "apply: the result names the repair" '["moved.service (multi-user.target.wants)"]' "$(msg SystemdServicesResult .repaired)"

# nothing changed by the upgrade: no tasks
f2=$F_DIR/r2
mkdir -p "$f2"
cp -a "$R/." "$f2/"
run_actor systemd_services_scanner "$f2"
chain_input "$F_DIR/facts2.json" "$(ipu 8.10 9.6)"
run_actor transition_systemd_services_states "$f2" "$F_DIR/facts2.json"
t_eq "transition on an unchanged tree: no task" "0" "$(printf '%s' "$A_OUT" | jq '[.messages[] | select(.model == "SystemdServicesTasks")] | length')"
run_actor enable_logrotate_timer "$f2" "$F_DIR/facts2.json"
t_eq "logrotate not from cron: no task" "0" "$(printf '%s' "$A_OUT" | jq '[.messages[] | select(.model == "SystemdServicesTasks")] | length')"
t_done

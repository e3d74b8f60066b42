#!/bin/bash
# set_systemd_services_states (Finalization), run alone with `leapp actor run`: a unit to enable
# gets the WantedBy= link systemctl enable makes and its Alias=; a unit to disable loses its
# links (its unit file stays); an enablement link of a unit no package ships is removed; the
# result says each, and a unit without a unit file is named with why; twice is once; no tasks
# and nothing broken: nothing changes, empty result. (The wider cases:
# tests/upgrade/test-upgrade-actors.sh.)
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
R=$F_DIR/root
L=$R/usr/lib/systemd/system
E=$R/etc/systemd/system
mkdir -p "$L" "$E/multi-user.target.wants"
printf '[Unit]\nDescription=chrony\n[Service]\nExecStart=/usr/sbin/chronyd\n[Install]\nWantedBy=multi-user.target\nAlias=ntp.service\n' >"$L/chronyd.service"
printf '[Unit]\nDescription=kdump\n[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=multi-user.target\n' >"$L/kdump.service"
ln -s /usr/lib/systemd/system/kdump.service "$E/multi-user.target.wants/kdump.service"
ln -s /usr/lib/systemd/system/ntpd.service "$E/multi-user.target.wants/ntpd.service"
cat >"$F_DIR/in.json" <<'JSON'
{"messages": [{"model": "SystemdServicesTasks",
  "data": {"to_enable": ["chronyd.service", "missing.service"], "to_disable": ["kdump.service"]}}]}
JSON
leapp_actor_run set_systemd_services_states "$R" "$F_DIR/in.json"
t_eq "runs" 0 "$A_RC" "$(a_errors; echo "$A_ERR")"
t_eq "enabled: the WantedBy= link" /usr/lib/systemd/system/chronyd.service "$(readlink "$E/multi-user.target.wants/chronyd.service")"
t_eq "enabled: the Alias= link" /usr/lib/systemd/system/chronyd.service "$(readlink "$E/ntp.service")"
t_check "disabled: its link gone, its unit file kept" test ! -L "$E/multi-user.target.wants/kdump.service" -a -f "$L/kdump.service"
t_check "the link of a unit no package ships is gone" test ! -L "$E/multi-user.target.wants/ntpd.service"
t_eq "the result: enabled, disabled, broken links removed" '["chronyd.service"] ["kdump.service"] ["ntpd.service (multi-user.target.wants)"]' \
	"$(msgr SystemdServicesResult '"\(.enabled | tojson) \(.disabled | tojson) \(.removed_broken | tojson)"')"
t_check "the result names the unit without a unit file" grep -q "^missing.service: no unit file" \
	<<<"$(msgr SystemdServicesResult '.failed[]')"
h=$(find "$E" -printf '%p %l\n' | sort | md5sum)
leapp_actor_run set_systemd_services_states "$R" "$F_DIR/in.json"
t_eq "twice: nothing changes" "$h" "$(find "$E" -printf '%p %l\n' | sort | md5sum)"

echo '{"messages":[]}' >"$F_DIR/none.json"
leapp_actor_run set_systemd_services_states "$R" "$F_DIR/none.json"
t_eq "no tasks: runs" 0 "$A_RC" "$(a_errors)"
t_eq "no tasks: nothing changes" "$h" "$(find "$E" -printf '%p %l\n' | sort | md5sum)"
t_eq "no tasks: an empty result" "[] []" "$(msgr SystemdServicesResult '"\(.enabled | tojson) \(.disabled | tojson)"')"
t_done

#!/bin/bash
# systemd_units_migration (TargetTransactionCheck), run alone with `leapp actor run`: an enabled
# ntpd.service with chrony in the plan gives a SystemdServicesTasks (enable chronyd.service,
# disable ntpd.service) and an info entry naming both; chrony not planned, or ntpd not
# enabled: no task, no entry.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
R=$F_DIR/root
mkdir -p "$R"
T="Enabled services are renamed by the upgrade"
# input ENABLED-JSON-LIST PLANNED-NAME
input() {
	printf '{"messages":[{"model":"SystemdUnits","data":{"enabled":%s}},{"model":"PlannedTransaction","data":{"status":"planned","items":[{"name":"%s","epoch":0,"version":"4.5","release":"1.el9","arch":"x86_64","action":"install","repo":"appstream","reason":"PES event 1 (replaced)"}],"kept":[],"counts":{"install":1},"problems":[],"repos":[],"rpmdb_fingerprint":"0:x"}}]}' \
		"$1" "$2" >"$F_DIR/in.json"
}
input '["ntpd.service","sshd.service"]' chrony
leapp_actor_run systemd_units_migration "$R" "$F_DIR/in.json"
t_eq "runs" 0 "$A_RC" "$(a_errors; echo "$A_ERR")"
t_eq "the task: enable chronyd, disable ntpd" '{"to_enable":["chronyd.service"],"to_disable":["ntpd.service"]}' \
	"$(msg SystemdServicesTasks '{to_enable, to_disable}')"
t_check "the entry names the rename" grep -q "ntpd.service (ntp) -> chronyd.service (chrony)" \
	<<<"$(printf '%s' "$A_OUT" | jq -r --arg t "$T" '.reports[] | select(.title == $t) | .summary')"

input '["ntpd.service"]' bash
leapp_actor_run systemd_units_migration "$R" "$F_DIR/in.json"
t_eq "chrony not planned: runs" 0 "$A_RC"
t_eq "chrony not planned: no task, no entry" "0 0" \
	"$(printf '%s' "$A_OUT" | jq -r '"\(.messages | length) \(.reports | length)"')"

input '["sshd.service"]' chrony
leapp_actor_run systemd_units_migration "$R" "$F_DIR/in.json"
t_eq "ntpd not enabled: no task, no entry" "0 0" \
	"$(printf '%s' "$A_OUT" | jq -r '"\(.messages | length) \(.reports | length)"')"
t_done

#!/bin/bash
# check_boot_avail_space: less than 100 MiB free in /boot inhibits; the threshold and an
# opt-out come from the actor configuration.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
check() { # FREE-BYTES [CONFIG-JSON]
	printf '{"workflow":%s,"config":%s,"messages":[{"model":"StorageInfo","data":{"free_space":[{"path":"/boot","checked_path":"/boot","free_bytes":%s}]}}]}' \
		"$(ipu 8.10 9.6)" "${2:-{\}}" "$1" >"$F_DIR/in.json"
	run_actor check_boot_avail_space / "$F_DIR/in.json"
}
check $((60 * 1024 * 1024))
t_eq "60 MiB free: inhibitor" "${K_BOOT_SPACE}" "$(inhibitor_keys)"
t_check "how much to free" grep -q "Free at least 40.0 MiB" <<<"$(report ${K_BOOT_SPACE} '.detail.remediations[0].context')"
check $((100 * 1024 * 1024))
t_eq "100 MiB free: fine" "" "$(report_keys)"
check $((100 * 1024 * 1024)) '{"min_free_mib": 150}'
t_eq "configured 150 MiB: 100 MiB free inhibits" "${K_BOOT_SPACE}" "$(inhibitor_keys)"
check $((60 * 1024 * 1024)) '{"enabled": false}'
t_eq "disabled by configuration" "" "$(report_keys)"
check null
t_eq "unknown free space: nothing" "" "$(report_keys)"
t_done

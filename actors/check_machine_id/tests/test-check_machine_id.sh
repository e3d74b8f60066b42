#!/bin/bash
# scan_machine_id + check_machine_id: a missing, empty, all-zero or malformed /etc/machine-id
# inhibits; 32 lowercase hex characters pass.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
R=$F_DIR/root
mkdir -p "$R/etc"
T='Missing or invalid /etc/machine-id file'
check() { # NAME EXPECTED-TITLE-OR-EMPTY
	run_actor scan_machine_id "$R"
	chain_input "$F_DIR/in.json" "$(ipu 8.10 9.6)"
	run_actor check_machine_id "$R" "$F_DIR/in.json"
	t_eq "$1" "0|$2" "$A_RC|$(printf '%s' "$A_OUT" | jq -r '[.reports[] | select(.groups | index("inhibitor")) | .title] | join(",")')"
}
check "missing inhibits" "$T"
t_eq "missing: scanner gives null" null "$(run_actor scan_machine_id "$R"; msg MachineIdInfo .machine_id)"
: >"$R/etc/machine-id"
check "empty inhibits" "$T"
echo 00000000000000000000000000000000 >"$R/etc/machine-id"
check "all zeros inhibits" "$T"
echo 0123456789ABCDEF0123456789abcdef >"$R/etc/machine-id"
check "uppercase inhibits" "$T"
echo 0123456789abcdef0123456789abcde >"$R/etc/machine-id"
check "31 characters inhibits" "$T"
printf '0123456789abcdef0123456789abcdef\n\n' >"$R/etc/machine-id"
check "a second newline inhibits" "$T"
printf '0123456789abcdef0123456789abcd\xff\n' >"$R/etc/machine-id"
check "not UTF-8 inhibits" "$T"
t_check "the summary shows the bytes" grep -qF 'holds "0123456789abcdef0123456789abcd\xff"' <<<"$(printf "%s" "$A_OUT" | jq -r ".reports[0].summary")"
t_eq "severity, groups, file" "high inhibitor,sanity /etc/machine-id" \
	"$(printf '%s' "$A_OUT" | jq -r '.reports[0] | "\(.severity) \(.groups | sort | join(",")) \(.detail.related_resources[0].title)"')"
echo 0123456789abcdef0123456789abcdef >"$R/etc/machine-id"
check "a valid ID passes" ""
printf 0123456789abcdef0123456789abcdef >"$R/etc/machine-id"
check "a valid ID without newline passes" ""
t_done

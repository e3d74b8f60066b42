#!/bin/bash
# check_installed_kernels: not booted into the newest installed kernel inhibits.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
mk_input "$F_DIR/in.json" "$(ipu 8.10 9.6)" KernelInfo '{"running":"4.18.0-513.24.1.el8_9.x86_64","newest":"4.18.0-553.el8_10.x86_64","booted_newest":false}'
run_actor check_installed_kernels / "$F_DIR/in.json"
t_eq "older kernel booted: inhibitor" "${K_NOT_NEWEST_KERNEL}" "$(inhibitor_keys)"
t_eq "remediation command" '["grubby","--set-default","/boot/vmlinuz-4.18.0-553.el8_10.x86_64"]' "$(report ${K_NOT_NEWEST_KERNEL} '.detail.remediations[] | select(.type == "command") | .context | tojson')"
t_check "remediation hint" test -n "$(report ${K_NOT_NEWEST_KERNEL} '.detail.remediations[] | select(.type == "hint") | .context')"
mk_input "$F_DIR/in.json" "$(ipu 8.10 9.6)" KernelInfo '{"running":"4.18.0-553.el8_10.x86_64","newest":"4.18.0-553.el8_10.x86_64","booted_newest":true}'
run_actor check_installed_kernels / "$F_DIR/in.json"
t_eq "newest booted: nothing" "" "$(report_keys)"
mk_input "$F_DIR/in.json" "$(ipu 8.10 9.6)" KernelInfo '{"running":null,"booted_newest":null}'
run_actor check_installed_kernels / "$F_DIR/in.json"
t_eq "unknown: nothing" "" "$(report_keys)"
t_done

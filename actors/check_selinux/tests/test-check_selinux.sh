#!/bin/bash
# check_selinux: enforcing -> "set permissive for the upgrade, then relabelled"; permissive -> relabel info.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
for m in enforcing:${K_SELINUX_ENFORCING} permissive:${K_SELINUX_RELABEL} disabled:; do
	mk_input "$F_DIR/in.json" "$(ipu 8.10 9.6)" SELinuxFacts "{\"mode\":\"${m%%:*}\"}"
	run_actor check_selinux / "$F_DIR/in.json"
	t_eq "${m%%:*}" "${m#*:}" "$(report_keys)"
done
t_eq "not an inhibitor" "" "$(inhibitor_keys)"
t_done

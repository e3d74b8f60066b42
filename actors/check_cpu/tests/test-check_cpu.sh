#!/bin/bash
# check_cpu: x86-64-v2 for 9, -v3 for 10; IBM z13 or newer on s390x.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
check() { # TARGET ARCH CPUINFO-JSON
	mk_input "$F_DIR/in.json" "$(ipu 8.10 "$1" "$2")" CPUInfo "$3"
	run_actor check_cpu / "$F_DIR/in.json"
}
check 9.6 x86_64 '{"architecture":"x86_64","x86_64_level":1,"model_name":"QEMU Virtual CPU"}'
t_eq "x86-64 baseline, target 9: inhibit" "${K_CPU_MICROARCH}" "$(inhibitor_keys)"
t_check "names the level" grep -q "x86-64-v2" <<<"$(report ${K_CPU_MICROARCH} .summary)"
check 9.6 x86_64 '{"architecture":"x86_64","x86_64_level":2}'
t_eq "x86-64-v2, target 9: fine" "" "$(report_keys)"
check 10.0 x86_64 '{"architecture":"x86_64","x86_64_level":2}'
t_eq "x86-64-v2, target 10: inhibit" "${K_CPU_MICROARCH}" "$(inhibitor_keys)"
check 9.6 x86_64 '{"architecture":"x86_64","x86_64_level":null}'
t_eq "unknown level: no report" "" "$(report_keys)"
check 9.6 s390x '{"architecture":"s390x","machine_type":2827}'
t_eq "z12 on s390x: inhibit" "${K_CPU_IBMZ}" "$(inhibitor_keys)"
check 9.6 s390x '{"architecture":"s390x","machine_type":8561}'
t_eq "z15 on s390x: fine" "" "$(report_keys)"
t_done

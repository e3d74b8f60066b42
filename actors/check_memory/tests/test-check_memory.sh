#!/bin/bash
# check_memory: MemTotal below the target's minimum for the architecture inhibits.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
check() { # ARCH KIB
	mk_input "$F_DIR/in.json" "$(ipu 8.10 9.6 "$1")" MemoryInfo "{\"mem_total_kib\":$2}"
	run_actor check_memory / "$F_DIR/in.json"
}
check x86_64 1032192
t_eq "1 GiB on x86_64 inhibits" "${K_LOW_MEMORY}" "$(inhibitor_keys)"
t_check "summary says what is needed" grep -q "at least 1536 MiB" <<<"$(report ${K_LOW_MEMORY} .summary)"
check x86_64 1572864
t_eq "exactly 1.5 GiB on x86_64 passes" "" "$(report_keys)"
check ppc64le 2097152
t_eq "2 GiB on ppc64le (needs 3) inhibits" "${K_LOW_MEMORY}" "$(inhibitor_keys)"
check x86_64 null
t_eq "unknown memory: no report here (the scanner warned)" "" "$(report_keys)"
t_done

#!/bin/bash
# check_architecture: inhibit an architecture the target is not built for.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
for a in x86_64 aarch64 ppc64le s390x; do
	mk_input "$F_DIR/in.json" "$(ipu 8.10 9.6 $a)"
	run_actor check_architecture / "$F_DIR/in.json"
	t_eq "$a is supported" "" "$(report_keys)"
done
mk_input "$F_DIR/in.json" "$(ipu 8.10 9.6 i686)"
run_actor check_architecture / "$F_DIR/in.json"
t_eq "i686 inhibits" "${K_UNSUPPORTED_ARCHITECTURE}" "$(inhibitor_keys)"
t_done

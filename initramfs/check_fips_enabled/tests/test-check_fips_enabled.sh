#!/bin/bash
# check_fips_enabled (LateTests): FIPS source and FIPS off in the upgrade environment (its
# proc/sys/crypto/fips_enabled under the root) fails the actor; on, or a non-FIPS source, passes.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
R=$F_DIR/root
mkdir -p "$R/proc/sys/crypto"
echo 1 >"$R/proc/sys/crypto/fips_enabled"
mk_input "$F_DIR/in.json" "$(ipu 8.10 9.6)" FIPSInfo '{"is_enabled":true}'
run_actor check_fips_enabled "$R" "$F_DIR/in.json"
t_eq "FIPS on: passes" 0 "$A_RC"
echo 0 >"$R/proc/sys/crypto/fips_enabled"
run_actor check_fips_enabled "$R" "$F_DIR/in.json"
t_eq "FIPS off: fails" 1 "$A_RC"
t_check "says why" grep -q "FIPS mode is off in the upgrade environment" <<<"$A_OUT$A_ERR"
mk_input "$F_DIR/in.json" "$(ipu 8.10 9.6)" FIPSInfo '{"is_enabled":false}'
run_actor check_fips_enabled "$R" "$F_DIR/in.json"
t_eq "non-FIPS source: passes" 0 "$A_RC"
t_done

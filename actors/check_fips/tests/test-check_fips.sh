#!/bin/bash
# check_fips: FIPS mode, 8 -> 9: no inhibitor; the fips dracut module and its files for the
# upgrade initramfs, fips=1 for the upgrade boot. Off: nothing.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
mk_input "$F_DIR/in.json" "$(ipu 8.10 9.6)" FIPSInfo '{"is_enabled":true}'
run_actor check_fips / "$F_DIR/in.json"
t_eq "no report" 0 "$(printf '%s' "$A_OUT" | jq '.reports | length')"
t_eq "fips dracut module" '["fips"]' "$(msg UpgradeInitramfsTasks '[.include_dracut_modules[].name]')"
t_eq "the files dracut misses" '["/etc/crypto-policies/back-ends/opensslcnf.config","/etc/pki/tls/openssl.cnf","/usr/lib64/ossl-modules/fips.so"]' "$(msg UpgradeInitramfsTasks .include_files)"
t_eq "fips=1 for the upgrade boot" '["fips=1"]' "$(msg UpgradeKernelCmdlineArgTasks '[.to_add[] | "\(.key)=\(.value)"]')"
mk_input "$F_DIR/in.json" "$(ipu 8.10 9.6)" FIPSInfo '{"is_enabled":false}'
run_actor check_fips / "$F_DIR/in.json"
t_eq "FIPS off: nothing" 0 "$(printf '%s' "$A_OUT" | jq '(.messages | length) + (.reports | length)')"
t_done

#!/bin/bash
# check_crypto_policies: LEGACY, FUTURE, DEFAULT with modules and custom policies get the
# medium report naming the admin's files; DEFAULT and FIPS do not.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
T='System-wide crypto policy is set to non-DEFAULT policy'
entry() { printf '%s' "$A_OUT" | jq -c --arg t "$T" "[.reports[] | select(.title == \$t)] | last | $1"; }
cpi() { printf '{"current_policy":"%s","source":"config","custom_policies":["/etc/crypto-policies/policies/MYCORP.pol"],"custom_modules":["/etc/crypto-policies/policies/modules/SHA1.pmod"]}' "$1"; }
for p in LEGACY FUTURE DEFAULT:SHA1 MYCORP; do
	mk_input "$F_DIR/in.json" "$(ipu 8.10 9.6)" CryptoPolicyInfo "$(cpi $p)"
	run_actor check_crypto_policies / "$F_DIR/in.json"
	t_eq "$p: medium report" '"medium" ["security","sanity"]' "$(entry .severity) $(entry .groups)"
done
t_check "custom policy named so" grep -q "MYCORP (a custom policy)" <<<"$(entry .summary)"
t_eq "the admin's files" '["/etc/crypto-policies/policies/MYCORP.pol","/etc/crypto-policies/policies/modules/SHA1.pmod"]' \
	"$(entry '[.detail.related_resources[] | select(.scheme == "file") | .title]')"
for p in DEFAULT FIPS FIPS:OSPP; do
	mk_input "$F_DIR/in.json" "$(ipu 8.10 9.6)" CryptoPolicyInfo "$(cpi $p)"
	run_actor check_crypto_policies / "$F_DIR/in.json"
	t_eq "$p: nothing" 0 "$(printf '%s' "$A_OUT" | jq '.reports | length')"
done
t_done

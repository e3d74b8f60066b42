#!/bin/bash
# check_sha1_signed_rpms: installed packages signed RSA/SHA1 inhibit unless the crypto policy
# allows SHA-1 (LEGACY, DEFAULT:SHA1); then a high report (upstream checkdeprecatedrpmsignature).
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
T='Detected RPMs with RSA/SHA1 signature'
items='{"items":[{"name":"legacy-monitor","version":"0.9","release":"3","arch":"x86_64","pgpsig":"RSA/SHA1, Tue 01 Jan 2019, Key ID bdfe4f528957055d","key_id":"bdfe4f528957055d","digest_algo":"SHA1"},{"name":"acme-agent","version":"3.2.1","release":"1","arch":"x86_64","key_id":"bdfe4f528957055d","digest_algo":"SHA256","pgpsig":"RSA/SHA256, Tue 01 Jan 2019, Key ID bdfe4f528957055d"},{"name":"bash","version":"4.4","release":"1","arch":"x86_64"}]}'
entry() { printf '%s' "$A_OUT" | jq -c --arg t "$T" "[.reports[] | select(.title == \$t)] | last | $1"; }
for pol in DEFAULT FUTURE DEFAULT:AD-SUPPORT; do
	mk_input "$F_DIR/in.json" "$(ipu 8.10 9.6)" InstalledRPM "$items" CryptoPolicyInfo "{\"current_policy\":\"$pol\"}"
	run_actor check_sha1_signed_rpms / "$F_DIR/in.json"
	t_eq "$pol: inhibitor, high" '"high" ["security","sanity","inhibitor"]' "$(entry .severity) $(entry .groups)"
done
t_eq "names only the SHA-1 package" '["legacy-monitor"]' "$(entry '[.detail.related_resources[].title]')"
t_check "summary gives the signature" grep -q 'legacy-monitor-0.9-3.x86_64 (RSA/SHA1, Tue' <<<"$(entry .summary)"
mk_input "$F_DIR/in.json" "$(ipu 8.10 9.6)" InstalledRPM "$items"
run_actor check_sha1_signed_rpms / "$F_DIR/in.json"
t_eq "policy unknown: inhibitor" '["security","sanity","inhibitor"]' "$(entry .groups)"
for pol in LEGACY DEFAULT:SHA1; do
	mk_input "$F_DIR/in.json" "$(ipu 8.10 9.6)" InstalledRPM "$items" CryptoPolicyInfo "{\"current_policy\":\"$pol\"}"
	run_actor check_sha1_signed_rpms / "$F_DIR/in.json"
	t_eq "$pol allows SHA-1: high report, no inhibitor" '"high" ["security","sanity"]' "$(entry .severity) $(entry .groups)"
done
mk_input "$F_DIR/in.json" "$(ipu 8.10 9.6)" InstalledRPM '{"items":[{"name":"bash","version":"4.4","release":"1","arch":"x86_64","digest_algo":"SHA256"}]}' CryptoPolicyInfo '{"current_policy":"DEFAULT"}'
run_actor check_sha1_signed_rpms / "$F_DIR/in.json"
t_eq "no SHA-1 package: nothing" 0 "$(printf '%s' "$A_OUT" | jq '.reports | length')"
mk_input "$F_DIR/in.json" "$(ipu 7.9 8.10)" InstalledRPM "$items" CryptoPolicyInfo '{"current_policy":"DEFAULT"}'
run_actor check_sha1_signed_rpms / "$F_DIR/in.json"
t_eq "target 8 accepts SHA-1: nothing" 0 "$(printf '%s' "$A_OUT" | jq '.reports | length')"
t_done

#!/bin/bash
# check_sha1_signed_rpms: third-party packages signed with SHA-1 get the crypto-policy warning.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
items='{"items":[{"name":"legacy-monitor","version":"0.9","release":"3","arch":"x86_64","key_id":"bdfe4f528957055d","digest_algo":"SHA1"},{"name":"acme-agent","version":"3.2.1","release":"1","arch":"x86_64","key_id":"bdfe4f528957055d","digest_algo":"SHA256"}]}'
mk_input "$F_DIR/in.json" "$(ipu 8.10 9.6)" ThirdPartyRPM "$items"
run_actor check_sha1_signed_rpms / "$F_DIR/in.json"
t_eq "SHA-1: warning" "${K_SHA1_SIGNATURE}" "$(report_keys)"
t_eq "lists only the SHA-1 package" "legacy-monitor" "$(report ${K_SHA1_SIGNATURE} '[.detail.related_resources[].title] | join(" ")')"
mk_input "$F_DIR/in.json" "$(ipu 7.9 8.10)" ThirdPartyRPM "$items"
run_actor check_sha1_signed_rpms / "$F_DIR/in.json"
t_eq "target 8 accepts SHA-1: nothing" "" "$(report_keys)"
t_done

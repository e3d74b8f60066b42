#!/bin/bash
# check_third_party_rpms: lists the packages the distribution did not sign (a warning).
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
mk_input "$F_DIR/in.json" "$(ipu 8.10 9.6)" ThirdPartyRPM '{"items":[{"name":"acme-agent","version":"3.2.1","release":"1","arch":"x86_64","vendor":"ACME Corp","key_id":"bdfe4f528957055d"},{"name":"local-tools","version":"1.0","release":"1","arch":"noarch"}]}'
run_actor check_third_party_rpms / "$F_DIR/in.json"
t_eq "a warning, not an inhibitor" "${K_THIRD_PARTY_PACKAGES}|" "$(report ${K_THIRD_PARTY_PACKAGES} '"\(.key)|\(.groups | map(select(. == "inhibitor")) | join(","))"')"
s=$(report ${K_THIRD_PARTY_PACKAGES} .summary)
t_check "names acme-agent with its key and vendor" grep -q "acme-agent-3.2.1-1.x86_64 (signed with key bdfe4f528957055d, vendor ACME Corp)" <<<"$s"
t_check "names the unsigned one" grep -q "local-tools-1.0-1.noarch (unsigned)" <<<"$s"
t_eq "packages as related resources" "acme-agent local-tools" "$(report ${K_THIRD_PARTY_PACKAGES} '[.detail.related_resources[].title] | join(" ")')"
mk_input "$F_DIR/in.json" "$(ipu 8.10 9.6)" ThirdPartyRPM '{"items":[]}'
run_actor check_third_party_rpms / "$F_DIR/in.json"
t_eq "none: nothing" "" "$(report_keys)"
t_done

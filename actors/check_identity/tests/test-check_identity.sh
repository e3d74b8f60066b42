#!/bin/bash
# check_identity: an IdM server inhibits; ipa-server unused warns; sssd smartcards without a
# files domain, configured NIS and blacklisted CA certificates are reported (upstream titles).
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
entry() { printf '%s' "$A_OUT" | jq -c --arg t "$1" "[.reports[] | select(.title == \$t)] | last | $2"; }
titles() { printf '%s' "$A_OUT" | jq -r '[.reports[].title] | sort | join("|")'; }
rpms() { printf '{"items":['; local s=""; for n; do printf '%s{"name":"%s","version":"1","release":"1","arch":"x86_64"}' "$s" "$n"; s=,; done; printf ']}'; }
IPA='ipa-server does not support in-place upgrade'; UNUSED='ipa-server package is installed but no IdM is configured'
SSSD='SSSD implicit files domain is now disabled by default.'; NIS='NIS component has been detected on your system'
CA='Distrusted CA certificates will be moved from blacklist to blocklist'
mk_input "$F_DIR/in.json" "$(ipu 8.10 9.6)" IdentityFacts '{"ipa_client_configured":true,"ipa_server_configured":true,"sssd_present":true,"sssd_pam_cert_auth":true,"nis_configured":["ypserv","ypbind"],"blacklist_ca":["/etc/pki/ca-trust/source/blacklist/bad.pem"]}' \
	InstalledRPM "$(rpms ipa-server ypserv ypbind sssd)" DistributionSignedRPM "$(rpms ipa-server ypbind sssd)"
run_actor check_identity / "$F_DIR/in.json"
t_eq "reports" "$CA|$NIS|$SSSD|$IPA" "$(titles)"
t_eq "IdM server: high inhibitor" '"high" ["inhibitor","services"]' "$(entry "$IPA" .severity) $(entry "$IPA" .groups)"
t_eq "sssd: medium" '"medium" ["authentication","security"]' "$(entry "$SSSD" .severity) $(entry "$SSSD" .groups)"
t_eq "NIS: medium, distribution-signed packages only" '"medium" ["ypbind"]' "$(entry "$NIS" .severity) $(entry "$NIS" '[.detail.related_resources[].title]')"
t_eq "CA: info naming the file" '"info" ["/etc/pki/ca-trust/source/blacklist/bad.pem"]' "$(entry "$CA" .severity) $(entry "$CA" '[.detail.related_resources[].title]')"
mk_input "$F_DIR/in.json" "$(ipu 8.10 9.6)" IdentityFacts '{"ipa_client_configured":true,"sssd_present":true,"sssd_pam_cert_auth":true,"sssd_explicit_files_domain":true}' \
	InstalledRPM "$(rpms ipa-server)" DistributionSignedRPM "$(rpms ipa-server)"
run_actor check_identity / "$F_DIR/in.json"
t_eq "client with ipa-server installed: medium warning with the command; files domain: no sssd report" "$UNUSED" "$(titles)"
t_eq "the remove command" '[["dnf","remove","-y","ipa-server"]]' "$(entry "$UNUSED" '[.detail.remediations[] | select(.type == "command") | .context]')"
mk_input "$F_DIR/in.json" "$(ipu 8.10 9.6)" IdentityFacts '{"sssd_present":true}' InstalledRPM "$(rpms sssd)" DistributionSignedRPM "$(rpms sssd)"
run_actor check_identity / "$F_DIR/in.json"
t_eq "plain sssd client: nothing" "" "$(titles)"
t_done

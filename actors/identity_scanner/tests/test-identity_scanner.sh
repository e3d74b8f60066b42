#!/bin/bash
# identity_scanner: IdM client/server, sssd's files-domain options, configured NIS, and the
# files under the CA trust blacklist directories; nothing on an empty root.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
R=$F_DIR/root
mkdir -p "$R/etc/ipa" "$R/var/lib/ipa-client/sysrestore" "$R/var/lib/ipa/sysrestore" "$R/etc/sssd" "$R/var/yp" \
	"$R/etc/pki/ca-trust/source/blacklist/sub" "$R/usr/share/pki/ca-trust-source/blacklist"
touch "$R/etc/ipa/default.conf" "$R/var/lib/ipa-client/sysrestore/sysrestore.state"
printf '[sssd]\ndomains = example.com\n[domain/example.com]\nid_provider = ldap\n[pam]\npam_cert_auth = True\n' >"$R/etc/sssd/sssd.conf"
printf '# ypbind\n\n' >"$R/etc/yp.conf"
touch "$R/var/yp/Makefile" "$R/var/yp/nicknames"
echo cert >"$R/etc/pki/ca-trust/source/blacklist/bad.pem"
echo cert >"$R/etc/pki/ca-trust/source/blacklist/sub/worse.pem"
ln -s /etc/pki/ca-trust/source/blacklist/bad.pem "$R/usr/share/pki/ca-trust-source/blacklist/bad-link.pem"
run_actor identity_scanner "$R"
t_eq "IdM client only" 'true false' "$(msg IdentityFacts .ipa_client_configured) $(msg IdentityFacts .ipa_server_configured)"
t_eq "sssd: smartcards, no files domain, option not set" 'true false false true' \
	"$(msg IdentityFacts .sssd_present) $(msg IdentityFacts .sssd_enable_files_domain_set) $(msg IdentityFacts .sssd_explicit_files_domain) $(msg IdentityFacts .sssd_pam_cert_auth)"
t_eq "NIS: default files only, comments only: not configured" '[]' "$(msg IdentityFacts .nis_configured)"
t_eq "blacklisted CA files and links" '["/etc/pki/ca-trust/source/blacklist/bad.pem","/etc/pki/ca-trust/source/blacklist/sub/worse.pem","/usr/share/pki/ca-trust-source/blacklist/bad-link.pem"]' \
	"$(msg IdentityFacts .blacklist_ca)"
touch "$R/var/lib/ipa/sysrestore/sysrestore.state"
printf '[sssd]\nenable_files_domain = false\n[domain/local]\nid_provider = files\n[domain/x]\nid_provider = ldap\n' >"$R/etc/sssd/sssd.conf"
echo 'domain example.com server nis.example.com' >>"$R/etc/yp.conf"
mkdir "$R/var/yp/example.com"
run_actor identity_scanner "$R"
t_eq "IdM server" true "$(msg IdentityFacts .ipa_server_configured)"
t_eq "sssd: option set, files domain" 'true true false' "$(msg IdentityFacts .sssd_enable_files_domain_set) $(msg IdentityFacts .sssd_explicit_files_domain) $(msg IdentityFacts .sssd_pam_cert_auth)"
t_eq "NIS: maps and yp.conf" '["ypserv","ypbind"]' "$(msg IdentityFacts .nis_configured)"
f_tmpdir
run_actor identity_scanner "$F_DIR"
t_eq "empty root" 'false false [] [] ' "$(msg IdentityFacts .ipa_client_configured) $(msg IdentityFacts .sssd_present) $(msg IdentityFacts .nis_configured) $(msg IdentityFacts .blacklist_ca) $(report_keys)"
t_done

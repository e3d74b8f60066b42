#!/bin/bash
# crypto_policies_scanner: the policy from /etc/crypto-policies/config (state/current as the
# fallback), the admin's policies and modules; unknown without either file.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
R=$F_DIR/root
mkdir -p "$R/etc/crypto-policies/state" "$R/etc/crypto-policies/policies/modules"
printf '# set by the admin\n\nDEFAULT:SHA1\n' >"$R/etc/crypto-policies/config"
echo LEGACY >"$R/etc/crypto-policies/state/current"
echo 'min_rsa_size = 3072' >"$R/etc/crypto-policies/policies/MYCORP.pol"
echo 'hash = SHA1+' >"$R/etc/crypto-policies/policies/modules/SHA1.pmod"
touch "$R/etc/crypto-policies/policies/modules/README"
run_actor crypto_policies_scanner "$R"
t_eq "policy from config, comments skipped" '"DEFAULT:SHA1" "config"' "$(msg CryptoPolicyInfo .current_policy) $(msg CryptoPolicyInfo .source)"
t_eq "custom policies" '["/etc/crypto-policies/policies/MYCORP.pol"]' "$(msg CryptoPolicyInfo .custom_policies)"
t_eq "custom modules (.pmod only)" '["/etc/crypto-policies/policies/modules/SHA1.pmod"]' "$(msg CryptoPolicyInfo .custom_modules)"
rm "$R/etc/crypto-policies/config"
run_actor crypto_policies_scanner "$R"
t_eq "state/current as the fallback" '"LEGACY" "state"' "$(msg CryptoPolicyInfo .current_policy) $(msg CryptoPolicyInfo .source)"
rm -r "$R/etc/crypto-policies"
run_actor crypto_policies_scanner "$R"
t_eq "no files: unknown, warned" "null [] $(k_unknown_fact /etc/crypto-policies/config)" \
	"$(msg CryptoPolicyInfo .current_policy) $(msg CryptoPolicyInfo .custom_modules) $(report_keys)"
t_eq "exit 0" 0 "$A_RC"
t_done

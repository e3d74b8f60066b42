#!/bin/bash
# target_userspace_crypto_policies: the source's policy config and the admin's policies and
# modules are copied into the target userspace, and its update-crypto-policies runs chrooted
# there with the policy (a stub recording its argv, under a static busybox); without the tool
# only the files are copied; DEFAULT: nothing.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
R=$F_DIR/root U=$F_DIR/userspace
mkdir -p "$R/etc/crypto-policies/policies/modules" "$U/bin" "$U/usr/bin" "$U/tmp"
echo DEFAULT:SHA1 >"$R/etc/crypto-policies/config"
echo 'hash = SHA1+' >"$R/etc/crypto-policies/policies/modules/SHA1.pmod"
echo 'min_rsa_size = 3072' >"$R/etc/crypto-policies/policies/MYCORP.pol"
CPI='{"current_policy":"DEFAULT:SHA1","source":"config","custom_policies":["/etc/crypto-policies/policies/MYCORP.pol"],"custom_modules":["/etc/crypto-policies/policies/modules/SHA1.pmod"]}'
us() { printf '{"path":"%s","path_in_root":"/var/lib/leapp/el9userspace","target_major":9,"packages":[],"has_shell":%s}' "$U" "$1"; }
mk_input "$F_DIR/in.json" '{}' TargetUserSpaceInfo "$(us false)" CryptoPolicyInfo "$CPI"
run_actor target_userspace_crypto_policies "$R" "$F_DIR/in.json"
t_eq "no tool: runs" 0 "$A_RC"
t_eq "config copied" DEFAULT:SHA1 "$(cat "$U/etc/crypto-policies/config")"
t_eq "module and policy copied" "hash = SHA1+ min_rsa_size = 3072" \
	"$(cat "$U/etc/crypto-policies/policies/modules/SHA1.pmod" "$U/etc/crypto-policies/policies/MYCORP.pol" | tr '\n' ' ' | sed 's/ $//')"
if [ "$(id -u)" = 0 ] && [ -x /bin/busybox ]; then
	cp /bin/busybox "$U/bin/busybox"; ln -s busybox "$U/bin/sh"
	printf '#!/bin/sh\necho "$@" >/tmp/ucp-args\n' >"$U/usr/bin/update-crypto-policies"; chmod +x "$U/usr/bin/update-crypto-policies"
	mk_input "$F_DIR/in.json" '{}' TargetUserSpaceInfo "$(us true)" CryptoPolicyInfo "$CPI"
	run_actor target_userspace_crypto_policies "$R" "$F_DIR/in.json"
	t_eq "tool present: runs" 0 "$A_RC"
	t_eq "update-crypto-policies ran chrooted with the policy" "--no-reload --set DEFAULT:SHA1" "$(cat "$U/tmp/ucp-args" 2>&1)"
	printf '#!/bin/sh\necho "unknown policy" >&2\nexit 1\n' >"$U/usr/bin/update-crypto-policies"
	run_actor target_userspace_crypto_policies "$R" "$F_DIR/in.json"
	t_eq "the tool fails: the actor fails" 1 "$A_RC"
	t_check "with the tool's message" grep -q "unknown policy" <<<"$A_OUT$A_ERR"
fi
rm -rf "$U/etc"
mk_input "$F_DIR/in.json" '{}' TargetUserSpaceInfo "$(us false)" CryptoPolicyInfo '{"current_policy":"DEFAULT","source":"config"}'
run_actor target_userspace_crypto_policies "$R" "$F_DIR/in.json"
t_check "DEFAULT: nothing copied" test ! -e "$U/etc"
t_done

#!/bin/bash
# remove_pam_pkcs11_module_apply (Applications): comments out the lines using the removed
# modules in every /etc/pam.d file, keeps other lines, owner and mode; twice is once.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
R=$F_DIR/root
mkdir -p "$R/etc/pam.d"
printf 'auth required pam_env.so\nauth sufficient /usr/lib64/security/pam_pkcs11.so\n# pam_pkcs11.so in a comment\nauth required pam_pkcs11_extra.so\n' >"$R/etc/pam.d/a"
printf 'account required pam_unix.so\n' >"$R/etc/pam.d/b"
chown 0:65534 "$R/etc/pam.d/a"; chmod 0640 "$R/etc/pam.d/a"
cp "$R/etc/pam.d/b" "$F_DIR/b.orig"
mk_input "$F_DIR/in.json" "$(ipu 8.10 9.6)" RemovedPAMModules '{"modules":["pam_pkcs11"]}'
run_actor remove_pam_pkcs11_module_apply "$R" "$F_DIR/in.json"
t_eq "runs" 0 "$A_RC"
t_eq "only the pam_pkcs11 line is commented out" \
	"$(printf 'auth required pam_env.so\n#auth sufficient /usr/lib64/security/pam_pkcs11.so\n# pam_pkcs11.so in a comment\nauth required pam_pkcs11_extra.so')" "$(cat "$R/etc/pam.d/a")"
t_eq "owner and mode kept" "0:65534 640" "$(stat -c '%u:%g %a' "$R/etc/pam.d/a")"
t_check "an unrelated file is untouched" cmp -s "$F_DIR/b.orig" "$R/etc/pam.d/b"
cp "$R/etc/pam.d/a" "$F_DIR/once"
run_actor remove_pam_pkcs11_module_apply "$R" "$F_DIR/in.json"
t_check "twice is once" cmp -s "$F_DIR/once" "$R/etc/pam.d/a"
mk_input "$F_DIR/none.json" "$(ipu 8.10 9.6)"
run_actor remove_pam_pkcs11_module_apply "$R" "$F_DIR/none.json"
t_eq "no RemovedPAMModules: nothing to do" 0 "$A_RC"
t_done

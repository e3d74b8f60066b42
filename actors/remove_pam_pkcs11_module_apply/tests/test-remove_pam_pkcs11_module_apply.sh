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

# authselect (RHEL 8's default): /etc/pam.d/system-auth is an absolute symlink to
# /etc/authselect/system-auth; under --root it resolves inside the root (the file there is
# edited, the link kept), never against the host's /etc (issue 16). Sandboxed as in its phase.
mkdir -p "$R/etc/authselect"
printf 'auth required pam_env.so\nauth sufficient pam_pkcs11.so\n' >"$R/etc/authselect/system-auth"
ln -s /etc/authselect/system-auth "$R/etc/pam.d/system-auth"
ln -s ../authselect/password-auth "$R/etc/pam.d/password-auth"
printf 'auth sufficient pam_pkcs11.so wait_for_card\n' >"$R/etc/authselect/password-auth"
run_actor remove_pam_pkcs11_module_apply "$R" "$F_DIR/in.json"
t_eq "authselect: runs" 0 "$A_RC"
t_eq "authselect: the absolute link's target inside the root is edited" \
	"$(printf 'auth required pam_env.so\n#auth sufficient pam_pkcs11.so')" "$(cat "$R/etc/authselect/system-auth")"
t_eq "authselect: the relative link's target too" "#auth sufficient pam_pkcs11.so wait_for_card" \
	"$(cat "$R/etc/authselect/password-auth")"
t_eq "authselect: the links are kept" "/etc/authselect/system-auth ../authselect/password-auth" \
	"$(readlink "$R/etc/pam.d/system-auth") $(readlink "$R/etc/pam.d/password-auth")"

# the same in the sandbox of its phase (Applications: the interim profile), through leapp, and
# standalone with the user-space walk of 4.18 kernels (no openat2)
for how in sandbox walk; do
	printf 'auth required pam_env.so\nauth sufficient pam_pkcs11.so\n' >"$R/etc/authselect/system-auth"
	if [ $how = sandbox ]; then
		out=$("$T_LEAPP" actor run remove_pam_pkcs11_module_apply --root "$R" --input "$F_DIR/in.json" 2>&1); rc=$?
	else
		out=$(LEAPP_ROOTFS_NO_OPENAT2=1 "$F_ACTORS/remove_pam_pkcs11_module_apply/remove_pam_pkcs11_module_apply" \
			--root "$R" --input "$F_DIR/in.json" 2>&1); rc=$?
	fi
	t_eq "authselect ($how): runs" 0 "$rc"
	t_eq "authselect ($how): /etc/authselect/system-auth inside the root is edited" \
		"$(printf 'auth required pam_env.so\n#auth sufficient pam_pkcs11.so')" "$(cat "$R/etc/authselect/system-auth")"
done
t_done

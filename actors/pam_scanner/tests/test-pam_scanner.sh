#!/bin/bash
# pam_scanner: the modules each /etc/pam.d file uses.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"

f_tmpdir
R=$F_DIR/root
mkdir -p "$R/etc/pam.d"
cat >"$R/etc/pam.d/system-auth" <<'PAM'
#%PAM-1.0
auth        required      pam_env.so
auth        [success=done ignore=ignore default=die] pam_pkcs11.so nodebug wait_for_card
auth        sufficient    /usr/lib64/security/pam_unix.so try_first_pass
-session    optional      pam_systemd.so
# auth     required      pam_commented.so
PAM
printf 'auth include system-auth\naccount required pam_pkcs11.so\n' >"$R/etc/pam.d/smartcard-auth"
run_actor pam_scanner "$R"
t_eq "modules" '"pam_env pam_pkcs11 pam_systemd pam_unix"' "$(msg PamConfiguration '[.modules[].module] | join(" ")')"
t_eq "files of pam_pkcs11" '["/etc/pam.d/smartcard-auth","/etc/pam.d/system-auth"]' "$(msg PamConfiguration '.modules[] | select(.module == "pam_pkcs11") | .files')"

# authselect (RHEL 8's default): system-auth is an absolute symlink, followed inside the root, not
# on the machine that runs leapp
mkdir -p "$R/etc/authselect"
mv "$R/etc/pam.d/system-auth" "$R/etc/authselect/system-auth"
ln -s /etc/authselect/system-auth "$R/etc/pam.d/system-auth"
run_actor pam_scanner "$R"
t_eq "authselect: the symlinked file is read inside the root" '["/etc/pam.d/smartcard-auth","/etc/pam.d/system-auth"]' \
	"$(msg PamConfiguration '.modules[] | select(.module == "pam_pkcs11") | .files')"
t_eq "authselect: its modules" '"pam_env pam_pkcs11 pam_systemd pam_unix"' "$(msg PamConfiguration '[.modules[].module] | join(" ")')"
t_done

#!/bin/bash
# sshd_permit_root_login_apply (Applications): with the SshdPermitRootLoginTask the dialog's
# answer produces, writes "PermitRootLogin yes" into sshd_config after the upgrade, keeping
# every other line, the comments, the owner and the mode; also with a .rpmnew beside it and
# into the target's default file; twice is the same as once; a drop-in that sets it, or no
# task, leaves the file alone. Run standalone and through `leapp actor run`.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"

f_tmpdir
IN=$F_DIR/in.json
FACTS='{"value":"yes","file":"/etc/ssh/sshd_config"}'
mk_input "$IN" "$(ipu 8.10 9.6)" SshdPermitRootLoginTask "$FACTS"

# the el8 file the admin edited: kept by the upgrade, with the el9 default as .rpmnew
R=$F_DIR/root
mkdir -p "$R/etc/ssh"
cat >"$R/etc/ssh/sshd_config" <<'CONF'
#	$OpenBSD: sshd_config,v 1.103 2018/04/09 20:41:22 tj Exp $

# This is the sshd server system-wide configuration file.
HostKey /etc/ssh/ssh_host_rsa_key
PasswordAuthentication yes
Subsystem	sftp	/usr/libexec/openssh/sftp-server

Match User backup
	X11Forwarding no
CONF
cp "$R/etc/ssh/sshd_config" "$F_DIR/orig"
printf 'Include /etc/ssh/sshd_config.d/*.conf\n#PermitRootLogin prohibit-password\n' >"$R/etc/ssh/sshd_config.rpmnew"
chown 65534:65534 "$R/etc/ssh/sshd_config"
chmod 0640 "$R/etc/ssh/sshd_config"
if command -v setfattr >/dev/null; then setfattr -n user.leapp_test -v kept "$R/etc/ssh/sshd_config"; fi
run_actor sshd_permit_root_login_apply "$R" "$IN"
t_eq "runs" 0 "$A_RC"
F=$R/etc/ssh/sshd_config
t_eq "owner and mode kept" "65534:65534 640" "$(stat -c '%u:%g %a' "$F")"
t_eq "PermitRootLogin yes before the Match block, every other line kept" \
	"$(sed -n 1,7p "$F_DIR/orig"; echo '# Added by leapp during the upgrade: keep root password logins, as answered in the upgrade dialog'; echo 'PermitRootLogin yes'; echo; sed -n '8,$p' "$F_DIR/orig")" \
	"$(cat "$F")"
t_eq "the .rpmnew is left alone" "Include /etc/ssh/sshd_config.d/*.conf" "$(head -1 "$F.rpmnew")"
if command -v getfattr >/dev/null; then
	t_eq "extended attributes kept" "kept" "$(getfattr --only-values -n user.leapp_test "$F" 2>/dev/null)"
fi
t_eq "no temp file left" "sshd_config sshd_config.rpmnew" "$(ls -A "$R/etc/ssh" | tr '\n' ' ' | sed 's/ $//')"
cp "$F" "$F_DIR/once"
run_actor sshd_permit_root_login_apply "$R" "$IN"
t_eq "a second run changes nothing" "$(cat "$F_DIR/once")" "$(cat "$F")"

# the file was unmodified, so the upgrade replaced it with the target's default
printf '# To modify the system-wide sshd configuration, create a *.conf file\nInclude /etc/ssh/sshd_config.d/*.conf\n\n#PermitRootLogin prohibit-password\nAuthorizedKeysFile\t.ssh/authorized_keys\n' >"$F"
chmod 0600 "$F"
run_actor sshd_permit_root_login_apply "$R" "$IN"
t_eq "into the target's default: right after the commented default" \
	"$(printf '# To modify the system-wide sshd configuration, create a *.conf file\nInclude /etc/ssh/sshd_config.d/*.conf\n\n#PermitRootLogin prohibit-password\n# Added by leapp during the upgrade: keep root password logins, as answered in the upgrade dialog\nPermitRootLogin yes\nAuthorizedKeysFile\t.ssh/authorized_keys')" \
	"$(cat "$F")"
t_eq "mode 0600 kept" "600" "$(stat -c %a "$F")"

# the admin set PermitRootLogin during the upgrade window: left alone
printf 'PermitRootLogin no\n' >"$F"
run_actor sshd_permit_root_login_apply "$R" "$IN"
t_eq "an explicit setting is left alone" "PermitRootLogin no" "$(cat "$F")"

# a file without a trailing newline and no Match block: appended
printf 'UsePAM yes' >"$F"
run_actor sshd_permit_root_login_apply "$R" "$IN"
t_eq "appended at the end" "$(printf 'UsePAM yes\n\n# Added by leapp during the upgrade: keep root password logins, as answered in the upgrade dialog\nPermitRootLogin yes')" "$(cat "$F")"

# no task (the admin did not choose it): nothing to do even if the new file lacks it
printf 'UsePAM yes\n' >"$F"
mk_input "$F_DIR/none.json" "$(ipu 8.10 9.6)"
run_actor sshd_permit_root_login_apply "$R" "$F_DIR/none.json"
t_eq "no task: untouched" "UsePAM yes" "$(cat "$F")"

# a drop-in the new file includes sets it already: untouched
mkdir -p "$R/etc/ssh/sshd_config.d"
printf 'PermitRootLogin no\n' >"$R/etc/ssh/sshd_config.d/01-permitrootlogin.conf"
printf 'Include /etc/ssh/sshd_config.d/*.conf\nUsePAM yes\n' >"$F"
run_actor sshd_permit_root_login_apply "$R" "$IN"
t_eq "set by an included drop-in: untouched" "$(printf 'Include /etc/ssh/sshd_config.d/*.conf\nUsePAM yes')" "$(cat "$F")"
rm -r "$R/etc/ssh/sshd_config.d"

# through the broker: leapp actor run, sandboxed as in the Applications phase
printf 'UsePAM yes\n\nMatch Address 10.0.0.0/8\n\tPasswordAuthentication no\n' >"$F"
printf '{"messages":[{"model":"SshdPermitRootLoginTask","data":%s}]}' "$FACTS" >"$F_DIR/run.json"
OUT=$("$T_LEAPP" actor run sshd_permit_root_login_apply --input "$F_DIR/run.json" --root "$R" 2>"$F_DIR/run.err"); RC=$?
t_eq "leapp actor run: exit 0" 0 "$RC" "$(printf '%s' "$OUT" | jq -r '.errors[].summary' 2>/dev/null | tail -3)"
t_eq "leapp actor run: status ok" "ok" "$(printf '%s' "$OUT" | jq -r .status)"
t_eq "leapp actor run: written" "$(printf 'UsePAM yes\n\n# Added by leapp during the upgrade: keep root password logins, as answered in the upgrade dialog\nPermitRootLogin yes\n\nMatch Address 10.0.0.0/8\n\tPasswordAuthentication no')" "$(cat "$F")"
t_done

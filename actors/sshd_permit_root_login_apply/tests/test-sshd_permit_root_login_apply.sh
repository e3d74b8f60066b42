#!/bin/bash
# sshd_permit_root_login_apply (Applications): writes "PermitRootLogin yes" into sshd_config
# after the upgrade, keeping every other line, the comments, the owner and the mode; also with
# a .rpmnew beside it and into the target's default file; twice is the same as once. Run
# standalone and through `leapp actor run`.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"

f_tmpdir
IN=$F_DIR/in.json
FACTS='{"present":true,"file":"/etc/ssh/sshd_config","permit_root_login":[]}'
mk_input "$IN" "$(ipu 8.10 9.6)" SshdConfig "$FACTS"

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
	"$(sed -n 1,7p "$F_DIR/orig"; echo '# Added by leapp during the upgrade: the configuration relied on the old default of PermitRootLogin'; echo 'PermitRootLogin yes'; echo; sed -n '8,$p' "$F_DIR/orig")" \
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
	"$(printf '# To modify the system-wide sshd configuration, create a *.conf file\nInclude /etc/ssh/sshd_config.d/*.conf\n\n#PermitRootLogin prohibit-password\n# Added by leapp during the upgrade: the configuration relied on the old default of PermitRootLogin\nPermitRootLogin yes\nAuthorizedKeysFile\t.ssh/authorized_keys')" \
	"$(cat "$F")"
t_eq "mode 0600 kept" "600" "$(stat -c %a "$F")"

# the admin set PermitRootLogin during the upgrade window: left alone
printf 'PermitRootLogin no\n' >"$F"
run_actor sshd_permit_root_login_apply "$R" "$IN"
t_eq "an explicit setting is left alone" "PermitRootLogin no" "$(cat "$F")"

# a file without a trailing newline and no Match block: appended
printf 'UsePAM yes' >"$F"
run_actor sshd_permit_root_login_apply "$R" "$IN"
t_eq "appended at the end" "$(printf 'UsePAM yes\n\n# Added by leapp during the upgrade: the configuration relied on the old default of PermitRootLogin\nPermitRootLogin yes')" "$(cat "$F")"

# the source configuration set it: nothing to do even if the new file lacks it
printf 'UsePAM yes\n' >"$F"
mk_input "$F_DIR/set.json" "$(ipu 8.10 9.6)" SshdConfig '{"present":true,"permit_root_login":[{"keyword":"permitrootlogin","value":"yes","file":"/etc/ssh/sshd_config","line":3,"in_match":false}]}'
run_actor sshd_permit_root_login_apply "$R" "$F_DIR/set.json"
t_eq "not needed per the source facts: untouched" "UsePAM yes" "$(cat "$F")"

# through the broker: leapp actor run, sandboxed as in the Applications phase (under leapp the
# workflow configuration is the last run's, so the IPUConfig goes in as a consumed message)
printf 'UsePAM yes\n\nMatch Address 10.0.0.0/8\n\tPasswordAuthentication no\n' >"$F"
printf '{"messages":[{"model":"IPUConfig","data":%s},{"model":"SshdConfig","data":%s}]}' "$(ipu 8.10 9.6)" "$FACTS" >"$F_DIR/run.json"
OUT=$("$T_LEAPP" actor run sshd_permit_root_login_apply --input "$F_DIR/run.json" --root "$R" 2>"$F_DIR/run.err"); RC=$?
t_eq "leapp actor run: exit 0" 0 "$RC" "$(printf '%s' "$OUT" | jq -r '.errors[].summary' 2>/dev/null | tail -3)"
t_eq "leapp actor run: status ok" "ok" "$(printf '%s' "$OUT" | jq -r .status)"
t_eq "leapp actor run: written" "$(printf 'UsePAM yes\n\n# Added by leapp during the upgrade: the configuration relied on the old default of PermitRootLogin\nPermitRootLogin yes\n\nMatch Address 10.0.0.0/8\n\tPasswordAuthentication no')" "$(cat "$F")"
t_done

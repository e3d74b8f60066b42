#!/bin/bash
# sshd_drop_in_directory_apply: prepends the Include of sshd_config.d with leapp's comment to a
# modified sshd_config, keeps the rest, owner and mode; twice is once; an unmodified file (or
# one with the line already) is left alone.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
R=$F_DIR/root
F=$R/etc/ssh/sshd_config
mkdir -p "$R/etc/ssh"
printf '# the admin was here\nClientAliveInterval 300\nSubsystem sftp /usr/libexec/openssh/sftp-server\n' >"$F"
cp "$F" "$F_DIR/orig"
chmod 0600 "$F"
chown 65534:65534 "$F"
mk_input "$F_DIR/mod.json" "$(ipu 8.10 9.6)" SshdConfig '{"present":true,"modified":true,"package":"openssh-server"}'
run_actor sshd_drop_in_directory_apply "$R" "$F_DIR/mod.json"
t_eq "runs" 0 "$A_RC"
t_eq "the Include prepended with the comment, the rest kept" \
	"$(printf "# Added by leapp during the upgrade from release 8 to 9: release 9's\n# packages configure sshd through this directory\nInclude /etc/ssh/sshd_config.d/*.conf\n"; cat "$F_DIR/orig")" "$(cat "$F")"
t_eq "owner and mode kept" "65534:65534 600" "$(stat -c '%u:%g %a' "$F")"
cp "$F" "$F_DIR/once"
run_actor sshd_drop_in_directory_apply "$R" "$F_DIR/mod.json"
t_eq "twice is once" "$(cat "$F_DIR/once")" "$(cat "$F")"
printf 'UsePAM yes\n  Include /etc/ssh/sshd_config.d/*.conf\n' >"$F"
run_actor sshd_drop_in_directory_apply "$R" "$F_DIR/mod.json"
t_eq "a file with the line is left alone" "$(printf 'UsePAM yes\n  Include /etc/ssh/sshd_config.d/*.conf')" "$(cat "$F")"
cp "$F_DIR/orig" "$F"
mk_input "$F_DIR/unmod.json" "$(ipu 8.10 9.6)" SshdConfig '{"present":true,"modified":false,"package":"openssh-server"}'
run_actor sshd_drop_in_directory_apply "$R" "$F_DIR/unmod.json"
t_eq "unmodified: left alone (the package replaced it)" "$(cat "$F_DIR/orig")" "$(cat "$F")"
rm "$F"
run_actor sshd_drop_in_directory_apply "$R" "$F_DIR/mod.json"
t_eq "file gone: a warning, exit 0" 0 "$A_RC"
t_done

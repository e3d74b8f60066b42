#!/bin/bash
# sshd_config_scanner: directives, PermitRootLogin in and outside Match blocks, Include.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"

f_tmpdir
R=$F_DIR/root
mkdir -p "$R/etc/ssh/sshd_config.d"
cat >"$R/etc/ssh/sshd_config" <<'CONF'
# comment
Include /etc/ssh/sshd_config.d/*.conf
PasswordAuthentication yes
Subsystem	sftp	/usr/libexec/openssh/sftp-server
Match User backup
	PermitRootLogin no
Match all
X11Forwarding=no
CONF
echo "ciphers aes256-gcm@openssh.com # strong only" >"$R/etc/ssh/sshd_config.d/50-crypto.conf"
run_actor sshd_config_scanner "$R"
t_eq "runs" 0 "$A_RC"
t_eq "present" 'true' "$(msg SshdConfig .present)"
t_eq "PermitRootLogin only inside Match" '"no true 6"' "$(msg SshdConfig '.permit_root_login[0] | "\(.value) \(.in_match) \(.line)"')"
t_eq "Include followed (value without the comment)" '"ciphers aes256-gcm@openssh.com /etc/ssh/sshd_config.d/50-crypto.conf"' \
	"$(msg SshdConfig '.directives[] | select(.keyword == "ciphers") | "\(.keyword) \(.value) \(.file)"')"
t_eq "Match all ends the block; key=value syntax" '"no false"' "$(msg SshdConfig '.directives[] | select(.keyword == "x11forwarding") | "\(.value) \(.in_match)"')"
t_eq "includes" '["/etc/ssh/sshd_config.d/50-crypto.conf"]' "$(msg SshdConfig .includes)"
rm -r "$R/etc/ssh"
run_actor sshd_config_scanner "$R"
t_eq "absent" 'false' "$(msg SshdConfig .present)"
t_done

#!/bin/bash
# check_sshd_config: a modified sshd_config owned by openssh-server gets upstream's notice of
# the Include leapp will prepend, and without an sftp Subsystem upstream's scp/SFTP warning;
# an unmodified or unknown one, or 9 -> 10: nothing. The scanner's `modified` comes from the
# rpmdb of a synthetic system (unmodified as built, modified after an edit).
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
SFTP='{"keyword":"subsystem","value":"sftp\t/usr/libexec/openssh/sftp-server","file":"/etc/ssh/sshd_config","line":3,"in_match":false}'
check() { mk_input "$F_DIR/in.json" "$(ipu "$1" "$2")" SshdConfig "$3"; run_actor check_sshd_config / "$F_DIR/in.json"; }
titles() { printf '%s' "$A_OUT" | jq -r '[.reports[] | "\(.title)|\(.severity)"] | sort | join(";")'; }

check 8.10 9.6 "{\"present\":true,\"modified\":true,\"package\":\"openssh-server\",\"directives\":[$SFTP]}"
t_eq "modified with sftp: the Include notice only" "The upgrade will prepend the Include directive to OpenSSH sshd_config|info" "$(titles)"
t_eq "its groups" '["authentication","network","security","services"]' "$(printf '%s' "$A_OUT" | jq -c '.reports[0].groups | sort')"
t_check "it names the line" grep -qF 'Include /etc/ssh/sshd_config.d/*.conf' <<<"$(printf '%s' "$A_OUT" | jq -r '.reports[0].summary')"
check 8.10 9.6 '{"present":true,"modified":true,"package":"openssh-server","directives":[]}'
t_eq "modified without sftp: both" "OpenSSH configured without SFTP subsystem|medium;The upgrade will prepend the Include directive to OpenSSH sshd_config|info" "$(titles)"
t_check "the sftp hint gives the line" grep -qF 'Subsystem sftp /usr/libexec/openssh/sftp-server' \
	<<<"$(printf '%s' "$A_OUT" | jq -r '.reports[] | select(.severity == "medium") | .detail.remediations[0].context')"
check 8.10 9.6 '{"present":true,"modified":false,"package":"openssh-server","directives":[]}'
t_eq "unmodified: nothing" "" "$(titles)"
check 8.10 9.6 '{"present":true,"directives":[]}'
t_eq "unknown (not owned by a package): nothing" "" "$(titles)"
check 9.6 10.0 '{"present":true,"modified":true,"package":"openssh-server","directives":[]}'
t_eq "9 -> 10: nothing" "" "$(titles)"

# the fact from a real rpmdb: as built, then edited
sysroot minimal || { t_fail "mksysroot minimal"; t_done; exit 1; }
R=$SR/root
run_actor sshd_config_scanner "$R"
t_eq "scanner: as packaged" "false openssh-server" "$(msgr SshdConfig '"\(.modified) \(.package)"')"
chain_input "$F_DIR/chain.json" "$(ipu 8.10 9.6)"
run_actor check_sshd_config / "$F_DIR/chain.json"
t_eq "chained, as packaged: nothing" "" "$(titles)"
echo "ClientAliveInterval 300" >>"$R/etc/ssh/sshd_config"
run_actor sshd_config_scanner "$R"
t_eq "scanner: edited" "true openssh-server" "$(msgr SshdConfig '"\(.modified) \(.package)"')"
chain_input "$F_DIR/chain.json" "$(ipu 8.10 9.6)"
run_actor check_sshd_config / "$F_DIR/chain.json"
t_check "chained, edited: the Include notice" grep -q "prepend the Include" <<<"$(titles)"
t_done

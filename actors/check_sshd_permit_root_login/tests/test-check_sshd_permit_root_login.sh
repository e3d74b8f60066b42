#!/bin/bash
# check_sshd_permit_root_login, upstream's 8 -> 9 decision: an unmodified sshd_config allowing
# root password logins inhibits unless the dialog is answered (True: the task for the apply
# actor and a medium entry; False: upstream's title as a high warning); a modified one that
# allows them globally gets upstream's warning; prohibit-password, a PermitRootLogin only inside
# Match blocks of a modified file, no sshd_config, or 9 -> 10: nothing.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
PRL_YES='{"keyword":"permitrootlogin","value":"yes","file":"/etc/ssh/sshd_config","line":5,"in_match":false}'
# check SRC TGT FACTS [ANSWERS-JSON]
check() {
	mk_input "$F_DIR/in.json" "$(ipu "$1" "$2")" SshdConfig "$3"
	if [ -n "${4:-}" ]; then
		jq -c --argjson a "$4" '. + {answers: $a}' "$F_DIR/in.json" >"$F_DIR/in2.json" && mv "$F_DIR/in2.json" "$F_DIR/in.json"
	fi
	run_actor check_sshd_permit_root_login / "$F_DIR/in.json"
}
titles() { printf '%s' "$A_OUT" | jq -r '[.reports[] | "\(.title)|\(.severity)|\(.groups | index("inhibitor") != null)"] | join(";")'; }
tasks() { printf '%s' "$A_OUT" | jq -c '[.messages[] | select(.model == "SshdPermitRootLoginTask") | .data]'; }

check 8.10 9.6 "{\"present\":true,\"modified\":false,\"permit_root_login\":[$PRL_YES]}"
t_eq "unmodified, yes, unanswered: exit 0" 0 "$A_RC"
t_eq "unmodified, yes, unanswered: upstream's inhibitor" "Possible problems with remote login using root account|high|true" "$(titles)"
t_eq "the groups are upstream's" '["authentication","inhibitor","network","security","services"]' \
	"$(printf '%s' "$A_OUT" | jq -c '.reports[0].groups | sort')"
t_eq "the remediation is the answer command" '["leapp","answer","--section","check_sshd_permit_root_login.keep_password_login=True"]' \
	"$(printf '%s' "$A_OUT" | jq -c '.reports[0].detail.remediations[] | select(.type == "command") | .context')"
t_eq "the dialog is asked, a bool without default" 'bool null' \
	"$(printf '%s' "$A_OUT" | jq -r '.dialogs[0].components[0] | "\(.type) \(.default)"')"
t_eq "no task without an answer" '[]' "$(tasks)"

check 8.10 9.6 "{\"present\":true,\"modified\":false,\"permit_root_login\":[$PRL_YES]}" '{"check_sshd_permit_root_login":{"keep_password_login":true}}'
t_eq "answered True: the fix, no inhibitor" "sshd_config will get an explicit PermitRootLogin yes|medium|false" "$(titles)"
t_eq "answered True: the task for the Applications phase" '[{"value":"yes","file":"/etc/ssh/sshd_config"}]' "$(tasks)"

check 8.10 9.6 "{\"present\":true,\"modified\":false,\"permit_root_login\":[$PRL_YES]}" '{"check_sshd_permit_root_login":{"keep_password_login":false}}'
t_eq "answered False: upstream's title, a warning" "Possible problems with remote login using root account|high|false" "$(titles)"
t_eq "answered False: no task" '[]' "$(tasks)"

check 8.10 9.6 "{\"present\":true,\"modified\":true,\"permit_root_login\":[$PRL_YES]}"
t_eq "modified, yes globally: upstream's warning" "Remote root logins globally allowed using password|high|false" "$(titles)"
t_eq "modified: no dialog" '[]' "$(printf '%s' "$A_OUT" | jq -c '.dialogs // []')"

check 8.10 9.6 '{"present":true,"modified":true,"permit_root_login":[{"keyword":"permitrootlogin","value":"yes","file":"/etc/ssh/sshd_config","line":9,"in_match":true}]}'
t_eq "modified, yes only inside Match: nothing" "" "$(titles)"
check 8.10 9.6 '{"present":true,"modified":false,"permit_root_login":[]}'
t_eq "unmodified without PermitRootLogin (prohibit-password already): nothing" "" "$(titles)"
check 8.10 9.6 '{"present":true,"modified":false,"permit_root_login":[{"keyword":"permitrootlogin","value":"without-password","file":"/etc/ssh/sshd_config","line":5,"in_match":false}]}'
t_eq "without-password (prohibit-password's old name): nothing" "" "$(titles)"
check 8.10 9.6 '{"present":false}'
t_eq "no sshd_config: nothing" "" "$(titles)"
check 9.6 10.0 "{\"present\":true,\"modified\":false,\"permit_root_login\":[$PRL_YES]}"
t_eq "9 -> 10: nothing" "" "$(titles)"
t_done

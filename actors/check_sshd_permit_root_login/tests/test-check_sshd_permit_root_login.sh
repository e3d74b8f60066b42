#!/bin/bash
# check_sshd_permit_root_login: 8 -> 9 with PermitRootLogin unset reports that an explicit
# "PermitRootLogin yes" will be written; set explicitly (outside Match) or not 8 -> 9: nothing.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
check() { mk_input "$F_DIR/in.json" "$(ipu "$1" "$2")" SshdConfig "$3"; run_actor check_sshd_permit_root_login / "$F_DIR/in.json"; }
check 8.10 9.6 '{"present":true,"permit_root_login":[]}'
t_eq "unset: reported" "${K_SSHD_PERMITROOTLOGIN_DEFAULT}" "$(report_keys)"
t_eq "a warning, not an inhibitor" "medium|" "$(report ${K_SSHD_PERMITROOTLOGIN_DEFAULT} '"\(.severity)|\(.groups | map(select(. == "inhibitor")) | join(","))"')"
t_check "says what will be written" grep -q 'PermitRootLogin yes' <<<"$(report ${K_SSHD_PERMITROOTLOGIN_DEFAULT} .summary)"
check 8.10 9.6 '{"present":true,"permit_root_login":[{"keyword":"permitrootlogin","value":"no","file":"/etc/ssh/sshd_config","line":5,"in_match":true}]}'
t_eq "set only inside Match: reported" "${K_SSHD_PERMITROOTLOGIN_DEFAULT}" "$(report_keys)"
check 8.10 9.6 '{"present":true,"permit_root_login":[{"keyword":"permitrootlogin","value":"prohibit-password","file":"/etc/ssh/sshd_config","line":5,"in_match":false}]}'
t_eq "set explicitly: nothing" "" "$(report_keys)"
check 8.10 9.6 '{"present":false}'
t_eq "no sshd_config: nothing" "" "$(report_keys)"
check 9.6 10.0 '{"present":true,"permit_root_login":[]}'
t_eq "9 -> 10: nothing" "" "$(report_keys)"
t_done

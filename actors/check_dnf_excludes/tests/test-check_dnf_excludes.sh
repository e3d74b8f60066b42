#!/bin/bash
# check_dnf_excludes: dnf.conf excludes and enabled repositories' excludes are reported.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
repos='{"repositories":[{"file":"/etc/yum.repos.d/a.repo","data":[{"repoid":"a","enabled":true,"exclude":["python3-foo*"]},{"repoid":"b","enabled":false,"exclude":["ignored"]}]}]}'
mk_input "$F_DIR/in.json" "$(ipu 8.10 9.6)" DNFConfig '{"exclude":["kernel*"]}' RepositoriesFacts "$repos"
run_actor check_dnf_excludes / "$F_DIR/in.json"
t_eq "reported" "${K_DNF_EXCLUDES}" "$(report_keys)"
s=$(report ${K_DNF_EXCLUDES} .summary)
t_check "dnf.conf exclude" grep -q "/etc/dnf/dnf.conf \[main\] exclude=kernel\*" <<<"$s"
t_check "repo exclude" grep -q "/etc/yum.repos.d/a.repo \[a\] exclude=python3-foo\*" <<<"$s"
t_check "a disabled repo's exclude is not" bash -c '! grep -q ignored <<<"$1"' _ "$s"
mk_input "$F_DIR/in.json" "$(ipu 8.10 9.6)" DNFConfig '{"exclude":[]}' RepositoriesFacts '{"repositories":[]}'
run_actor check_dnf_excludes / "$F_DIR/in.json"
t_eq "no excludes: nothing" "" "$(report_keys)"
t_done

#!/bin/bash
# leapp answer: a question inhibits until answered; answers are checked against the question;
# a malformed section is exit 2 with a message saying what is wrong.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../engine/lib-engine.sh"
. "$(dirname "$0")/lib-cli.sh"

new_root; root=$ROOT
mk_actor "$root" ask Checks dialog "" TestValue
uc=$root/var/log/leapp/answerfile.userchoices
af=$root/var/log/leapp/answerfile

# answer before any run: only with --add
cli "$root" answer --section test_scope.confirm=True
t_rc "answer before any run, without --add: exit 2" 2
t_has "it names the unknown question and suggests --add" "$C_ERR" "leapp answer: no question 'test_scope' was asked"
t_has "... and --add" "$C_ERR" "use --add to record it anyway"
[ ! -e "$uc" ] && t_ok "nothing was recorded" || t_fail "nothing was recorded"

cli "$root" preupgrade
t_rc "an unanswered question inhibits: exit 3" 3
t_has "the overview tells to answer" "$C_OUT" "Next step: answer the questions with the leapp answer commands given in the report"
t_has "the report gives the exact command" "$(cat "$root/var/log/leapp/leapp-report.txt")" "Remediation: [command] leapp answer --section test_scope.confirm=True"
t_has "the answerfile holds the question" "$(cat "$af")" "[test_scope]"

# malformed sections
for s in "test_scope" "test_scope.confirm" "=True" "test_scope=True" ".confirm=True" "test_scope.=True" "a.b.c=1" "sc ope.confirm=True"; do
	cli "$root" answer --section "$s"
	if [ "$C_RC" = 2 ] && [[ "$C_ERR" == *"malformed section '$s': expected SCOPE.KEY=VALUE"* ]]; then
		t_ok "malformed section '$s': exit 2, named, with the expected form"
	else
		t_fail "malformed section '$s': exit 2, named, with the expected form" "rc=$C_RC" "$C_ERR"
	fi
done
cli "$root" answer --section test_scope.confirm=
t_rc "an empty answer: exit 2" 2
t_has "an empty answer is named" "$C_ERR" "malformed section 'test_scope.confirm=': the answer (after '=') is empty"
cli "$root" answer --add --section "$(printf 'x.y=1\n[evil]\nk = v')"
t_rc "an answer with a newline: exit 2" 2
t_has "it says why" "$C_ERR" "malformed section 'x.y=1...': the answer has a control character"
cli "$root" answer
t_rc "answer without --section: exit 2" 2
t_has "it says what is missing" "$C_ERR" "nothing to answer: give --section SCOPE.KEY=VALUE"
cli "$root" answer --section test_scope.confirm=maybe
t_rc "a value that is not a boolean: exit 2" 2
t_has "it says what the question expects" "$C_ERR" "leapp answer: test_scope.confirm=maybe: expected True or False"
cli "$root" answer --section test_scope.nokey=True
t_rc "an unknown key of a known question: exit 2" 2
t_has "it lists the question's keys" "$C_ERR" "question 'test_scope' has no key 'nokey' (its keys: confirm)"
cli "$root" answer --section other.x=1
t_rc "an unknown question: exit 2" 2
[ ! -e "$uc" ] && t_ok "rejected answers record nothing" || t_fail "rejected answers record nothing" "$(cat "$uc")"

# the answer
cli "$root" answer --section test_scope.confirm=True
t_rc "a valid answer: exit 0" 0
t_has "it says where it was recorded" "$C_OUT" "Recorded the answer test_scope.confirm=True in $uc"
t_has "answerfile.userchoices holds it" "$(cat "$uc")" "[test_scope]
confirm = True"
t_has "the answerfile shows it" "$(cat "$af")" "confirm = True"
cli "$root" preupgrade --verbose
t_rc "answered: exit 0" 0
t_has "the actor got the answer (True, typed as a boolean)" "$C_OUT" "ask [info] answer: true"

# several answers, comma-joined as leapp allows, and --add
cli "$root" answer --section test_scope.confirm=False,extra.k=a,b --add
t_rc "comma-joined sections with --add: exit 0" 0
t_has "the first answer" "$(cat "$uc")" "confirm = False"
t_has "the second, whose value has a comma" "$(cat "$uc")" "[extra]
k = a,b"
cli "$root" answer --section test_scope.confirm=True --section extra.k=c --add
t_rc "repeated --section: exit 0" 0
t_eq "later answers replace earlier ones" "confirm = True|k = c" "$(grep -E '^(confirm|k) =' "$uc" | paste -sd'|')"

# the lock: answer waits for nobody, but refuses while a run holds the store
mkdir -p "$root/var/lib/leapp"
exec 9>"$root/var/lib/leapp/leapp.lock"
flock -n 9
cli "$root" answer --section test_scope.confirm=True
t_rc "answer while another leapp runs: exit 1" 1
t_has "it says another leapp is running" "$C_ERR" "another leapp is already running"
exec 9>&-

t_done

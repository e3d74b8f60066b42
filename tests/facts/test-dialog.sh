#!/bin/bash
# Dialogs end to end with a real question (remove_pam_pkcs11_module_check, as leapp asks it):
# unanswered in preupgrade -> an inhibitor whose remediation is the exact `leapp answer`
# command; after that command the next preupgrade passes; answers persist in
# answerfile.userchoices; the answerfile has leapp's INI layout with comments; answering no
# inhibits; the Applications actor then comments the module out.
. "$(dirname "$0")/../lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"

sysroot demo || { t_fail "mksysroot demo"; t_done; exit 1; }
R=$SR/root
L=$R/var/log/leapp
mkdir -p "$R/etc/pam.d"
printf 'auth        required      pam_env.so\nauth        [success=done default=die] pam_pkcs11.so wait_for_card\nauth        sufficient    pam_unix.so\n' >"$R/etc/pam.d/smartcard-auth"
CMD="leapp answer --section remove_pam_pkcs11_module_check.confirm=True"

OUT=$("$T_LEAPP" preupgrade --root "$R" 2>&1); RC=$?
t_eq "unanswered: exit 3" 3 "$RC"
inh=$(jq -c '[.entries[] | select(.groups | index("inhibitor"))]' "$L/leapp-report.json")
t_eq "unanswered: one inhibitor, from the dialog" '["dialog"]' "$(jq -c '[.[].groups[] | select(. == "dialog")]' <<<"$inh")"
t_eq "its remediation is the exact leapp answer command" '["leapp","answer","--section","remove_pam_pkcs11_module_check.confirm=True"]' \
	"$(jq -c '.[0].detail.remediations[] | select(.type == "command") | .context' <<<"$inh")"
t_check "the summary gives the command too" grep -qF "$CMD" <<<"$(jq -r '.[0].summary' <<<"$inh")"
t_check "the report validates" validate_report "$L/leapp-report.json"
AF=$L/answerfile
t_check "answerfile written" test -f "$AF"
t_check "answerfile: [scope] section" grep -qx '\[remove_pam_pkcs11_module_check\]' "$AF"
t_check "answerfile: the label as a comment" grep -q '^# Label: *Disable pam_pkcs11 module in PAM configuration? If no, the upgrade process will be interrupted.$' "$AF"
t_check "answerfile: type and choices" grep -q '^# Available choices: True/False$' "$AF"
t_check "answerfile: the commented answer line" grep -qx '# confirm = ' "$AF"
t_eq "answerfile: no active answer yet" "" "$(grep -E '^confirm' "$AF")"

# the command from the report, with --root
OUT=$("$T_LEAPP" answer --section remove_pam_pkcs11_module_check.confirm=True --root "$R" 2>&1); RC=$?
t_eq "leapp answer: exit 0" 0 "$RC"
t_check "answer kept in answerfile.userchoices" grep -qx 'confirm = True' "$L/answerfile.userchoices"
t_check "userchoices has the section" grep -qx '\[remove_pam_pkcs11_module_check\]' "$L/answerfile.userchoices"
h0=$(tree_hash "$R")
OUT=$("$T_LEAPP" preupgrade --root "$R" 2>&1); RC=$?
t_eq "answered yes: preupgrade exits 0" 0 "$RC"
t_eq "answered yes: the removal is reported" "${K_PAM_PKCS11_REMOVAL}" "$(jq -r '[.entries[] | select(.title | startswith("Module pam_pkcs11")) | .key] | join(" ")' "$L/leapp-report.json")"
t_eq "answered yes: no inhibitor" "" "$(jq -r '[.entries[] | select(.groups | index("inhibitor")) | .key] | join(" ")' "$L/leapp-report.json")"
t_check "answerfile now shows the answer" grep -qx 'confirm = True' "$AF"
t_eq "the tree is unchanged by the answered run" "$h0" "$(tree_hash "$R")"
OUT=$("$T_LEAPP" preupgrade --root "$R" 2>&1); RC=$?
t_eq "answers persist across runs: exit 0 again" 0 "$RC"
t_check "userchoices still there" grep -qx 'confirm = True' "$L/answerfile.userchoices"
t_eq "RemovedPAMModules (pam_pkcs11) stored for the Applications phase" "1" \
	"$(sqlite3 "$R/var/lib/leapp/leapp.db" "select count(*) from messages where model = 'RemovedPAMModules' and instr(data, cast('pam_pkcs11' as blob)) > 0 and execution = (select max(id) from executions)")"

OUT=$("$T_LEAPP" answer --section remove_pam_pkcs11_module_check.confirm=False --root "$R" 2>&1)
OUT=$("$T_LEAPP" preupgrade --root "$R" 2>&1); RC=$?
t_eq "answered no: exit 3" 3 "$RC"
t_eq "answered no: the actor's inhibitor" "${K_PAM_PKCS11_KEPT}" "$(jq -r '[.entries[] | select(.groups | index("inhibitor")) | .key] | join(" ")' "$L/leapp-report.json")"

# the Applications actor, standalone: comments the module out, keeps the rest
f_tmpdir
mk_input "$F_DIR/in.json" "$(ipu 8.10 9.6)" RemovedPAMModules '{"modules":["pam_pkcs11"]}'
chmod 0644 "$R/etc/pam.d/smartcard-auth"
run_actor remove_pam_pkcs11_module_apply "$R" "$F_DIR/in.json"
t_eq "apply: exit 0" 0 "$A_RC"
t_eq "apply: pam_pkcs11 commented out, the rest kept" \
	"$(printf 'auth        required      pam_env.so\n#auth        [success=done default=die] pam_pkcs11.so wait_for_card\nauth        sufficient    pam_unix.so')" \
	"$(cat "$R/etc/pam.d/smartcard-auth")"
t_eq "apply: mode kept" "644" "$(stat -c %a "$R/etc/pam.d/smartcard-auth")"
cp "$R/etc/pam.d/smartcard-auth" "$F_DIR/once"
run_actor remove_pam_pkcs11_module_apply "$R" "$F_DIR/in.json"
t_eq "apply: twice is once" "$(cat "$F_DIR/once")" "$(cat "$R/etc/pam.d/smartcard-auth")"
t_done

#!/bin/bash
# remove_pam_pkcs11_module_check: asks (a bool dialog) only when pam_pkcs11 is in use and the
# target is 9+; yes -> RemovedPAMModules + a report; no -> an inhibitor; no answer -> nothing
# from the actor (the broker inhibits).
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
PAM='{"modules":[{"module":"pam_pkcs11","files":["/etc/pam.d/smartcard-auth"]},{"module":"pam_unix","files":["/etc/pam.d/system-auth"]}]}'
mk_input "$F_DIR/in.json" "$(ipu 8.10 9.6)" PamConfiguration "$PAM"
run_actor remove_pam_pkcs11_module_check / "$F_DIR/in.json"
t_eq "asks" '"remove_pam_pkcs11_module_check confirm bool"' "$(printf '%s' "$A_OUT" | jq -c '.dialogs[0] | "\(.scope) \(.components[0].key) \(.components[0].type)"')"
t_eq "no default (an answer is required)" 'null' "$(printf '%s' "$A_OUT" | jq -c '.dialogs[0].components[0].default')"
t_eq "unanswered: no report, no message" " null" "$(report_keys) $(msg RemovedPAMModules .)"

echo '{"remove_pam_pkcs11_module_check": {"confirm": "True"}}' >"$F_DIR/yes.json"
A_OUT=$("$F_ACTORS/remove_pam_pkcs11_module_check/remove_pam_pkcs11_module_check" --root / --input "$F_DIR/in.json" --answers "$F_DIR/yes.json" 2>/dev/null)
t_eq "yes: RemovedPAMModules" '["pam_pkcs11"]' "$(msg RemovedPAMModules .modules)"
t_eq "yes: reported" "${K_PAM_PKCS11_REMOVAL}" "$(report_keys)"
echo '{"remove_pam_pkcs11_module_check": {"confirm": "False"}}' >"$F_DIR/no.json"
A_OUT=$("$F_ACTORS/remove_pam_pkcs11_module_check/remove_pam_pkcs11_module_check" --root / --input "$F_DIR/in.json" --answers "$F_DIR/no.json" 2>/dev/null)
t_eq "no: inhibitor" "${K_PAM_PKCS11_KEPT}" "$(inhibitor_keys)"
t_eq "no: nothing removed" "null" "$(msg RemovedPAMModules .)"

mk_input "$F_DIR/in.json" "$(ipu 8.10 9.6)" PamConfiguration '{"modules":[{"module":"pam_unix","files":["/etc/pam.d/system-auth"]}]}'
run_actor remove_pam_pkcs11_module_check / "$F_DIR/in.json"
t_eq "pam_pkcs11 not used: no question" "0" "$(printf '%s' "$A_OUT" | jq '.dialogs | length')"
t_done

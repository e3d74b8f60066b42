#!/bin/bash
# target_gpg_keys (TargetTransactionCheck), run alone with `leapp actor run` on the minimal
# system's plan: the vendor key imported in the rpmdb (and named by the repositories' gpgkey=)
# is trusted and not imported again; a repository whose gpgkey= file is missing inhibits,
# naming the file; no plan: a warning and no TargetGpgKeys.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
. "$T_TOP/tests/plan/lib-plan.sh"
p_plan_minimal
PLAN=$(p_planned m)
mk_input "$P_DIR/in.json" "$(ipu 8.10 9.6)" PlannedTransaction "$PLAN"
leapp_actor_run target_gpg_keys "$R" "$P_DIR/in.json"
t_eq "runs" 0 "$A_RC" "$(a_errors; echo "$A_ERR")"
t_eq "the vendor key is trusted" "c079a104099cbde2" "$(msgr TargetGpgKeys '[.trusted[].key_id] | join(" ")')"
t_eq "already in the rpmdb: nothing to import, nothing to remove, no error" "0 0 0" \
	"$(msgr TargetGpgKeys '"\(.to_import | length) \(.to_remove | length) \(.errors | length)"')"

BAD=$(jq -c --arg k "file://$P_DIR/m/keys/missing.asc" '.repos[0].gpgkey = [$k]' <<<"$PLAN")
mk_input "$P_DIR/bad.json" "$(ipu 8.10 9.6)" PlannedTransaction "$BAD"
leapp_actor_run target_gpg_keys "$R" "$P_DIR/bad.json"
t_eq "a missing key file: runs (it reports)" 0 "$A_RC" "$(a_errors; echo "$A_ERR")"
T="A GPG key of a target repository cannot be read"
t_eq "a missing key file: an inhibitor" "inhibitor" \
	"$(printf '%s' "$A_OUT" | jq -r --arg t "$T" '.reports[] | select(.title == $t) | .groups[] | select(. == "inhibitor")')"
t_check "a missing key file: named" grep -q "$P_DIR/m/keys/missing.asc" \
	<<<"$(printf '%s' "$A_OUT" | jq -r --arg t "$T" '.reports[] | select(.title == $t) | .summary')"

mk_input "$P_DIR/none.json" "$(ipu 8.10 9.6)"
leapp_actor_run target_gpg_keys "$R" "$P_DIR/none.json"
t_eq "no plan: runs" 0 "$A_RC"
t_check "no plan: a warning" grep -q "no planned transaction: no target keys to collect" <<<"$(a_logs warning)"
t_eq "no plan: no TargetGpgKeys" 0 "$(printf '%s' "$A_OUT" | jq '.messages | length')"
t_done

#!/bin/bash
# check_target_userspace_tasks (TargetTransactionCheck), run alone with `leapp actor run` on the
# minimal system's plan (the PlannedTransaction transaction_planner makes from the last run):
# packages the target repositories hold (dracut, with the base packages) pass, saying how many
# it would install; a package they lack inhibits, naming it; no plan: a warning that nothing was
# checked.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
. "$T_TOP/tests/plan/lib-plan.sh"
p_plan_minimal
PLAN=$(p_planned m)
t_eq "the plan" "planned" "$(jq -r .status <<<"$PLAN")"
# tasks PACKAGES-JSON: the input with the plan and one TargetUserSpaceTasks
tasks() {
	mk_input "$P_DIR/in.json" "$(ipu 8.10 9.6)" PlannedTransaction "$PLAN" TargetUserSpaceTasks \
		"{\"packages\":$1,\"reason\":\"the upgrade initramfs needs it\",\"requester\":\"test\"}"
}
T="Packages the upgrade needs are missing from the target repositories"
tasks '["dracut"]'
leapp_actor_run check_target_userspace_tasks "$R" "$P_DIR/in.json"
t_eq "dracut: runs" 0 "$A_RC" "$(a_errors; echo "$A_ERR")"
t_check "dracut: it says the userspace can be made" grep -qE "the target userspace can be made: [0-9]+ packages for 4 requests" <<<"$(a_logs info)"
t_eq "dracut: no entry" 0 "$(printf '%s' "$A_OUT" | jq '.reports | length')"

tasks '["dracut","no-such-package"]'
leapp_actor_run check_target_userspace_tasks "$R" "$P_DIR/in.json"
t_eq "a missing package: runs (it reports)" 0 "$A_RC" "$(a_errors; echo "$A_ERR")"
t_eq "a missing package: an inhibitor" "inhibitor" \
	"$(printf '%s' "$A_OUT" | jq -r --arg t "$T" '.reports[] | select(.title == $t) | .groups[] | select(. == "inhibitor")')"
t_check "a missing package: named" grep -q "no-such-package" \
	<<<"$(printf '%s' "$A_OUT" | jq -r --arg t "$T" '.reports[] | select(.title == $t) | .summary')"

mk_input "$P_DIR/none.json" "$(ipu 8.10 9.6)" TargetUserSpaceTasks '{"packages":["no-such-package"],"reason":"x"}'
leapp_actor_run check_target_userspace_tasks "$R" "$P_DIR/none.json"
t_eq "no plan: runs" 0 "$A_RC"
t_check "no plan: a warning that nothing was checked" grep -q "no planned transaction: the target userspace's packages are not checked" <<<"$(a_logs warning)"
t_eq "no plan: no entry" 0 "$(printf '%s' "$A_OUT" | jq '.reports | length')"
t_done

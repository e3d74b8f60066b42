#!/bin/bash
# check_planned_transaction (TargetTransactionCheck), run alone with `leapp actor run` after the
# planner's chain planned the minimal system: it reports the plan's counts and the kernel kept
# as a fallback; an unsolvable plan inhibits, with libsolv's problem, rules and packages; no
# plan: a warning saying the transaction was not planned, and no entry.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
. "$T_TOP/tests/plan/lib-plan.sh"
p_plan_minimal
N_UP=$(jq '[.transaction[] | select(.action == "upgrade")] | length' "$(p_plan m)")
N_IN=$(jq '[.transaction[] | select(.action == "install")] | length' "$(p_plan m)")
OUT=$("$T_LEAPP" actor run check_planned_transaction --root "$R" --from-last-run 2>"$P_DIR/err"); RC=$?
t_eq "runs with the last run's messages" 0 "$RC" "$(tail -3 "$P_DIR/err")"
t_check "the counts of transaction.json" grep -q "^Planned RPM transaction: $N_UP to upgrade, $N_IN to install, 0 to remove" \
	<<<"$(jq -r '.reports[].title' <<<"$OUT")"
t_eq "the el8 kernel stays as a fallback" "info" \
	"$(jq -r '.reports[] | select(.title == "The installed kernel stays as a fallback") | .severity' <<<"$OUT")"
t_eq "no inhibitor" "" "$(jq -r '.reports[] | select(.groups | index("inhibitor")) | .title' <<<"$OUT")"

PROB='{"summary":"nothing provides libfoo.so.2()(64bit) needed by foo-2.0-1.el9.x86_64","rules":["package foo-2.0-1.el9.x86_64 requires libfoo.so.2()(64bit), but none of the providers can be installed"],"packages":["foo"],"solutions":["do not install foo-2.0-1.el9.x86_64"]}'
PLAN='{"status":"unsolvable","items":[],"kept":[],"counts":{},"problems":['"$PROB"'],"repos":[],"rpmdb_fingerprint":"0:x"}'
mk_input "$P_DIR/in.json" "$(ipu 8.10 9.6)" PlannedTransaction "$PLAN"
leapp_actor_run check_planned_transaction "$R" "$P_DIR/in.json"
t_eq "unsolvable: runs (it reports)" 0 "$A_RC" "$(a_errors; echo "$A_ERR")"
T="The upgrade transaction cannot be solved (unsatisfied dependencies)"
t_eq "unsolvable: an inhibitor" "high inhibitor" \
	"$(printf '%s' "$A_OUT" | jq -r --arg t "$T" '.reports[] | select(.title == $t) | "\(.severity) \(.groups | map(select(. == "inhibitor")) | join(""))"')"
S=$(printf '%s' "$A_OUT" | jq -r --arg t "$T" '.reports[] | select(.title == $t) | .summary')
t_check "unsolvable: libsolv's problem" grep -q "Problem 1: nothing provides libfoo.so.2()(64bit) needed by foo-2.0-1.el9.x86_64" <<<"$S"
t_check "unsolvable: the packages involved" grep -q "Packages involved: foo" <<<"$S"

mk_input "$P_DIR/none.json" "$(ipu 8.10 9.6)"
leapp_actor_run check_planned_transaction "$R" "$P_DIR/none.json"
t_eq "no plan: runs" 0 "$A_RC"
t_check "no plan: a warning says it was not planned" grep -q "no PlannedTransaction: the transaction was not planned" <<<"$(a_logs warning)"
t_eq "no plan: no entry" 0 "$(printf '%s' "$A_OUT" | jq '.reports | length')"
t_done

#!/bin/bash
# Re-solving from the PlannedTransaction message (actors/lib/plan/replan.c, for the RPM upgrade on
# resume): against the unchanged rpmdb it gives the planned transaction item for item; against
# a changed rpmdb it follows the change, and its fingerprint says so.
. "$(dirname "$0")/../../../../tests/lib.sh"
. "$T_TOP/tests/plan/lib-plan.sh"

p_init
p_sysroot demo demo || { t_fail "mksysroot demo"; t_done; exit 1; }
p_preupgrade demo
t_eq "preupgrade succeeds" 0 "$P_RC" || p_show demo
R=$P_DIR/demo/root
LEAPP_ACTORS_DIR=$P_DIR/actors "$T_LEAPP" actor run transaction_planner --root "$R" --from-last-run 2>/dev/null |
	jq '.messages[] | select(.model == "PlannedTransaction") | .data' >"$P_DIR/plan.json"
t_eq "the PlannedTransaction message" planned "$(jq -r .status "$P_DIR/plan.json")"
"$T_BUILD/tests/replan_tool" "$P_DIR/plan.json" "$R" >"$P_DIR/re.json" 2>"$P_DIR/err"
t_eq "re-solving succeeds" 0 "$?" || cat "$P_DIR/err"
key='[.[] | "\(.action) \(.name) \(.epoch):\(.version)-\(.release).\(.arch) \(.repo) \(.reason)"] | sort | join("\n")'
t_eq "the same transaction, item for item, with the same reasons" \
	"$(jq -r "(.transaction + .kept) | $key" "$(p_plan demo)")" "$(jq -r ".items | $key" "$P_DIR/re.json")"
t_eq "the same rpmdb fingerprint" "$(jq -r .rpmdb_fingerprint "$P_DIR/plan.json")" "$(jq -r .fingerprint "$P_DIR/re.json")"

t_rpmdb_writable "$R"
rpm --root "$R" --dbpath /var/lib/rpm --define "_dbpath /var/lib/rpm" -e --nodeps --noscripts --justdb tzdata 2>/dev/null
"$T_BUILD/tests/replan_tool" "$P_DIR/plan.json" "$R" >"$P_DIR/re2.json" 2>"$P_DIR/err"
t_eq "re-solving the changed rpmdb succeeds" 0 "$?" || cat "$P_DIR/err"
t_eq "the removed package is no longer upgraded" 0 "$(jq '[.items[] | select(.name == "tzdata")] | length' "$P_DIR/re2.json")"
t_check "the fingerprint differs from the plan's" test "$(jq -r .fingerprint "$P_DIR/re2.json")" != "$(jq -r .rpmdb_fingerprint "$P_DIR/plan.json")"
t_done

#!/bin/bash
# late_rpmdb_check (LateTests), run alone with `leapp actor run` on the minimal synthetic system:
# a plan made against another rpmdb stops the upgrade, naming both fingerprints and the packages
# installed or gone; a plan with the rpmdb's own fingerprint passes, saying so; no plan at all
# fails saying there is none.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
sysroot minimal || { t_fail "mksysroot minimal"; t_done; exit 1; }
R=$SR/root
# plan PLANNED-FINGERPRINT INSTALLED-JSON-LIST
plan() {
	printf '{"messages":[{"model":"PlannedTransaction","data":{"status":"planned","items":[],"kept":[],"counts":{},"problems":[],"repos":[],"rpmdb_fingerprint":"%s","installed":%s}}]}' \
		"$1" "$2" >"$F_DIR/in.json"
}
plan "1:0000" '["gone-1.0-1.el8.noarch"]'
leapp_actor_run late_rpmdb_check "$R" "$F_DIR/in.json"
t_eq "another rpmdb: the actor fails" 1 "$A_RC"
E=$(a_errors)
t_check "it says the rpmdb changed since planning" grep -q "the RPM database changed since the upgrade transaction was planned" <<<"$E"
t_check "it counts the package gone" grep -qE "\([0-9]+ added, 1 gone\)" <<<"$E"
t_check "it names a package installed since" grep -q "now installed: bash-" <<<"$E"
FP=$(grep -o 'the rpmdb is now [0-9]*:[0-9a-f]*' <<<"$E" | awk '{print $NF}')
t_check "it gives the fingerprint now" grep -qE '^[0-9]+:[0-9a-f]{64}$' <<<"$FP"

plan "$FP" '[]'
leapp_actor_run late_rpmdb_check "$R" "$F_DIR/in.json"
t_eq "the rpmdb as planned: passes" 0 "$A_RC" "$(a_errors; echo "$A_ERR")"
t_check "it says so, with the fingerprint" grep -qF "the RPM database is as planned ($FP)" <<<"$(a_logs info)"

echo '{"messages":[]}' >"$F_DIR/none.json"
leapp_actor_run late_rpmdb_check "$R" "$F_DIR/none.json"
t_eq "no plan: fails" 1 "$A_RC"
t_check "no plan: says so" grep -q "no planned transaction to upgrade with" <<<"$(a_errors)"
t_done

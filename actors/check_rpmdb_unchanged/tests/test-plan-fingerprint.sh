#!/bin/bash
# The rpmdb fingerprint stored with the plan: the Download phase's check passes while the
# rpmdb is as planned, and stops, saying what changed, once a package is removed or added
# behind leapp's back (as a dnf update between preupgrade/planning and the upgrade would).
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/plan/lib-plan.sh"

p_init
p_sysroot demo demo || { t_fail "mksysroot demo"; t_done; exit 1; }
p_preupgrade demo
t_eq "preupgrade succeeds" 0 "$P_RC" || p_show demo
R=$P_DIR/demo/root
check() {
	OUT=$(LEAPP_ACTORS_DIR=$P_DIR/actors "$T_LEAPP" actor run check_rpmdb_unchanged --root "$R" --from-last-run 2>"$P_DIR/err")
	RC=$?
}
check
t_eq "unchanged rpmdb: the check passes" 0 "$RC" || cat "$P_DIR/err"
t_check "unchanged rpmdb: it says so" grep -q "the RPM database is as planned ($(jq -r .rpmdb_fingerprint "$(p_plan demo)"))" \
	<<<"$(jq -r '.logs[].message' <<<"$OUT")"
check
t_eq "checking does not change the fingerprint" 0 "$RC"

t_rpmdb_writable "$R"
rpm --root "$R" --dbpath /var/lib/rpm --define "_dbpath /var/lib/rpm" -e --nodeps --noscripts --justdb tzdata 2>/dev/null
t_check "tzdata removed behind leapp's back" test -z "$(rpm --root "$R" --dbpath /var/lib/rpm --define "_dbpath /var/lib/rpm" -q tzdata 2>/dev/null | grep -v 'not installed')"
check
t_eq "changed rpmdb: the check fails" 1 "$RC"
err=$(jq -r '.errors[0] | "\(.title // .message // "") \(.summary // .details // "")"' <<<"$OUT" 2>/dev/null)
[ -n "${err// /}" ] || err=$(cat "$P_DIR/err")
t_check "changed rpmdb: it says the rpmdb changed since planning" grep -q "RPM database changed since the upgrade transaction was planned" <<<"$err$OUT"
t_check "changed rpmdb: it names the package" grep -q "no longer installed: tzdata-2024a-1.el8.noarch" <<<"$err$OUT"
t_check "changed rpmdb: it says what to do" grep -q "Run leapp upgrade again" <<<"$err$OUT"
t_done

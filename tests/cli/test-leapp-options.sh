#!/bin/bash
# leapp's whole option set (DESIGN §5): the options that mean nothing off RHEL are accepted by
# preupgrade and upgrade, logged as ignored, and change nothing in the report.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../engine/lib-engine.sh"
. "$(dirname "$0")/lib-cli.sh"

new_root; root=$ROOT
mk_actor "$root" a FactsCollection report "" TestValue

# the report without the volatile fields (ids, time stamps, run id)
stable_report() {
	jq -S 'del(.leapp_run_id) | .entries |= map(del(.id, .timeStamp))' "$root/var/log/leapp/leapp-report.json"
}

cli "$root" preupgrade
t_rc "preupgrade without leapp's RHEL options" 0
plain=$(stable_report)

rhel=(--target-os centos --channel EUS --iso /nonexistent/rhel.iso --no-rhsm --no-rhsm-facts --no-insights-register)
cli "$root" preupgrade "${rhel[@]}" --debug --verbose
t_rc "preupgrade accepts --target-os, --channel, --iso, --no-rhsm, --no-rhsm-facts, --no-insights-register" 0
for o in "--target-os centos" "--channel EUS" "--iso /nonexistent/rhel.iso" --no-rhsm --no-rhsm-facts --no-insights-register; do
	t_has "preupgrade says '$o' is ignored" "$C_ERR" "ignored: $o ("
	grep -qF -- "ignored: $o (" "$root/var/log/leapp/leapp-preupgrade.log" &&
		t_ok "leapp-preupgrade.log says '$o' is ignored" || t_fail "leapp-preupgrade.log says '$o' is ignored"
done
t_eq "the ignored options change nothing in the report" "$plain" "$(stable_report)"

# the option set infra.leapp's analysis role passes with leapp_upgrade_type custom
cli "$root" preupgrade --no-rhsm --no-insights-register --report-schema 1.2.0
t_rc "preupgrade as infra.leapp runs it (custom upgrade type)" 0

cli "$root" upgrade "${rhel[@]}" --reboot --nogpgcheck
t_rc "upgrade accepts them too (with --reboot)" 0
t_has "upgrade says --no-rhsm is ignored" "$C_ERR" "ignored: --no-rhsm ("
t_has "upgrade logs --no-rhsm as ignored" "$(cat "$root/var/log/leapp/leapp-upgrade.log")" "ignored: --no-rhsm ("

cli "$root" preupgrade --channel beta
t_rc "--channel with a value leapp refuses: exit 2" 2
t_has "--channel beta is named" "$C_ERR" "--channel must be ga, e4s, eus or aus, not 'beta'"
cli "$root" preupgrade --iso
t_rc "--iso without its value: exit 2" 2

cli "$root" preupgrade
t_hasnt "without them, nothing is said to be ignored" "$C_ERR" "ignored:"

t_done

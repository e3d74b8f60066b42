#!/bin/bash
# rpm_upgrade (RPMUpgrade), run alone with `leapp actor run` on the minimal system prepared up
# to the reboot (leapp upgrade, without the boot actors), with the messages of that run: it
# upgrades every package (the rpmdb holds the target release's), produces RPMUpgradeResult and
# LeftoverPackages and reports the old kernel kept; a second run finds nothing to do; without
# DownloadedPackages it fails, saying so, and changes nothing. The guards and the crash cases:
# tests/upgrade/test-upgrade-actors.sh, test-upgrade-crash.sh.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
. "$T_TOP/tests/upgrade/lib-upgrade.sh"
u_init
u_actors_noboot
u_sysroot "$T_TOP/scripts/sysroot/specs/minimal.yaml" m || { t_fail "mksysroot minimal"; t_done; exit 1; }
u_leapp m preupgrade
u_leapp m upgrade
t_eq "leapp upgrade prepares the minimal system up to the reboot" 0 "$U_RC" "$(u_show m)"
u_probe m
IN=$U_DIR/up.json
u_input m "$IN" PlannedTransaction DownloadedPackages RepoMetadataCache TargetGpgKeys TransactionTestResult IPUConfig
R=$(u_root m)
before=$(u_rpm m -qa | sort)

u_input m "$U_DIR/nodl.json" PlannedTransaction RepoMetadataCache TargetGpgKeys TransactionTestResult IPUConfig
leapp_actor_run rpm_upgrade "$R" "$U_DIR/nodl.json"
t_eq "no DownloadedPackages: fails" 1 "$A_RC"
t_check "no DownloadedPackages: says so" grep -q "the packages of the upgrade were not downloaded" <<<"$(a_errors)"
t_eq "no DownloadedPackages: no package changed, no mark" "$before no-mark" \
	"$(u_rpm m -qa | sort) $(test -e "$R/var/lib/leapp/rpm-upgrade.started" || echo no-mark)"

leapp_actor_run rpm_upgrade "$R" "$IN"
t_eq "runs" 0 "$A_RC" "$(a_errors; tail -3 <<<"$A_ERR")"
t_eq "upgraded: every element of the plan" "upgraded $(jq '[.transaction[] | select(.action != "keep")] | length' "$R/var/log/leapp/transaction.json")" \
	"$(msgr RPMUpgradeResult '"\(.status) \(.installs)"')"
t_eq "the rpmdb holds the target release's packages" "$(u_expected m)" "$(u_names m)"
t_eq "the old kernel is kept and reported" "The old kernel is kept" "$(printf '%s' "$A_OUT" | jq -r '.reports[].title')"
t_eq "LeftoverPackages: only the old kernel's install-only packages" "0 true" \
	"$(msgr LeftoverPackages '"\(.items | length) \((.installonly | length) > 0 and (.installonly | map(tostring) | all(test("4\\.18\\.0"))))"')"

leapp_actor_run rpm_upgrade "$R" "$IN"
t_eq "twice: runs" 0 "$A_RC" "$(a_errors)"
t_eq "twice: nothing to do" "nothing-to-do" "$(msgr RPMUpgradeResult .status)"
t_done

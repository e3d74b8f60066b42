#!/bin/bash
# Phase policies and flags: fail-immediately, report-only, checkpoint, inhibitors (checkskipphase
# and the Reports barrier), stop-after-phase, and refusing to resume past a failure.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-engine.sh"

# inhibitor in Checks: TargetTransaction phases are skipped, Reports runs, upgrade exits 3
root=$(mk_root)
mk_actor "$root" f FactsCollection chain "" TestValue
mk_actor "$root" inh Checks inhibit TestValue TestValue
mk_actor "$root" tt TargetTransactionFactsCollection chain TestValue TestValue
mk_actor "$root" rep Reports chain TestValue TestValue
mk_actor "$root" dl Download chain TestValue TestValue
leapp_run "$root" upgrade
t_eq "an inhibited upgrade exits 3" 3 "$E_RC"
t_eq "TargetTransaction phases are skipped after an inhibitor" 0 "$(db "$root" "select count(*) from actor_runs where actor='tt'")"
t_eq "Reports still runs" 1 "$(db "$root" "select count(*) from actor_runs where actor='rep'")"
t_eq "the upgrade stops at Reports" 0 "$(db "$root" "select count(*) from actor_runs where actor='dl'")"
t_eq "the execution is inhibited" inhibited "$(db "$root" "select status from executions")"
grep -q "Risk Factor: high (inhibitor)" "$root/var/log/leapp/leapp-report.txt" && t_ok "the report has the inhibitor" || t_fail "report inhibitor"
leapp_run "$root" upgrade --resume
[ "$E_RC" -eq 1 ] && [[ "$E_OUT" == *"was inhibited"* ]] && t_ok "an inhibited upgrade cannot be resumed" || t_fail "resume inhibited" "$E_OUT"
leapp_run "$root" preupgrade
t_eq "preupgrade of the same system exits 3" 3 "$E_RC"

# fail-immediately (RPMUpgrade): no more actors start after a failure
root=$(mk_root)
mk_actor "$root" u_a RPMUpgrade exit3 "" TestValue
mk_actor "$root" u_b RPMUpgrade chain "" TestValue
mk_actor "$root" app Applications chain "" TestValue
"$T_LEAPP" upgrade --root "$root" >/dev/null 2>&1
leapp_run "$root" upgrade --resume
t_eq "a failure in a fail-immediately phase exits 1" 1 "$E_RC"
t_eq "the next actor of the phase did not start" 0 "$(db "$root" "select count(*) from actor_runs where actor='u_b'")"
t_eq "the workflow stopped" 0 "$(db "$root" "select count(*) from actor_runs where actor='app'")"
leapp_run "$root" upgrade --resume
[ "$E_RC" -eq 1 ] && [[ "$E_OUT" == *"actor u_a failed in phase RPMUpgrade"*"--force"* ]] && t_ok "resume refuses to go past a failed run" ||
	t_fail "resume refuses" "$E_OUT"
# make it succeed now and force
sed -i 's/default: exit3/default: chain/' "$root/etc/leapp/repos.d/test/actors/u_a/actor.yaml"
leapp_run "$root" upgrade --resume --force
t_eq "--resume --force runs the failed actor again and goes on" 0 "$E_RC"
t_eq "u_a committed now" 1 "$(db "$root" "select sum(committed) from actor_runs where actor='u_a'")"
t_eq "u_b ran" 1 "$(db "$root" "select count(*) from actor_runs where actor='u_b'")"

# report-only (Applications): the error is reported, the workflow goes on
root=$(mk_root)
mk_actor "$root" app_bad Applications exit3 "" TestValue
mk_actor "$root" third ThirdPartyApplications chain "" TestValue
mk_actor "$root" fin Finalization chain "" TestValue
"$T_LEAPP" upgrade --root "$root" >/dev/null 2>&1
leapp_run "$root" upgrade --resume
t_eq "report-only: the workflow goes on to Finalization (reboot, exit 0)" "0 1 1" "$E_RC $(db "$root" "select count(*) from actor_runs where actor='third'") $(db "$root" "select count(*) from actor_runs where actor='fin'")"
grep -q "Actor app_bad failed: exited with code 3" "$root/var/log/leapp/leapp-report.txt" && t_ok "report-only: the error is in the report" || t_fail "report-only error"

# an experimental actor whitelisted at upgrade time still runs after the reboot (--resume)
root=$(mk_root)
mk_actor "$root" exp Applications chain "" TestValue "experimental: true"
"$T_LEAPP" upgrade --root "$root" --whitelist-experimental exp >/dev/null 2>&1
leapp_run "$root" upgrade --resume
t_eq "--resume restores --whitelist-experimental" "0 1" "$E_RC $(db "$root" "select count(*) from actor_runs where actor='exp'")"
root=$(mk_root)
mk_actor "$root" exp Applications chain "" TestValue "experimental: true"
"$T_LEAPP" upgrade --root "$root" >/dev/null 2>&1
leapp_run "$root" upgrade --resume
t_eq "an experimental actor that was not whitelisted does not run" "0 0" "$E_RC $(db "$root" "select count(*) from actor_runs where actor='exp'")"

# checkpoint (Download): an error so far stops the workflow there
root=$(mk_root)
mk_actor "$root" d_bad Download error "" TestValue
mk_actor "$root" ip InterimPreparation chain "" TestValue
leapp_run "$root" upgrade
t_eq "an error in Download stops the upgrade (exit 1)" "1 0" "$E_RC $(db "$root" "select count(*) from actor_runs where actor='ip'")"

# an inhibitor or a stop in InterimPreparation: no reboot is asked for, and --resume refuses
root=$(mk_root)
mk_actor "$root" ip InterimPreparation inhibit "" TestValue
mk_actor "$root" irs InitRamStart chain "" TestValue
leapp_run "$root" upgrade
t_eq "an inhibitor in InterimPreparation: exit 3, no reboot asked for" "3 inhibited" "$E_RC $(db "$root" "select status from executions")"
leapp_run "$root" upgrade --resume
t_eq "... and --resume refuses (InitRamStart never runs)" "1 0" "$E_RC $(db "$root" "select count(*) from actor_runs where actor='irs'")"
root=$(mk_root)
mk_actor "$root" ip InterimPreparation stop "" TestValue
mk_actor "$root" irs InitRamStart chain "" TestValue
leapp_run "$root" upgrade
leapp_run "$root" upgrade --resume
[ "$E_RC" -eq 1 ] && [[ "$E_OUT" == *"stopped at the end of phase InterimPreparation, before the reboot"* ]] &&
	t_ok "a stop before the reboot: --resume refuses and says why" || t_fail "stop before reboot" "$E_OUT"
t_eq "InitRamStart did not run" 0 "$(db "$root" "select count(*) from actor_runs where actor='irs'")"

# stop-after-phase
root=$(mk_root)
mk_actor "$root" s FactsCollection stop "" TestValue
mk_actor "$root" c Checks chain "" TestValue
leapp_run "$root" upgrade
t_eq "stop-after-phase stops after the current phase" "0 0" "$E_RC $(db "$root" "select count(*) from actor_runs where actor='c'")"

# dialogs: an unanswered question inhibits with the exact leapp answer command
root=$(mk_root)
mk_actor "$root" q Checks dialog "" TestValue
leapp_run "$root" preupgrade
t_eq "an unanswered question inhibits (exit 3)" 3 "$E_RC"
grep -q "Remediation: \[command\] leapp answer --section test_scope.confirm=True" "$root/var/log/leapp/leapp-report.txt" &&
	t_ok "the remediation is the exact leapp answer command" || t_fail "answer remediation" "$(cat "$root/var/log/leapp/leapp-report.txt")"
grep -q "^\[test_scope\]" "$root/var/log/leapp/answerfile" && t_ok "the answerfile holds the question" || t_fail "answerfile"
leapp_run "$root" answer --section test_scope.confirm=True
t_eq "leapp answer succeeds" 0 "$E_RC"
leapp_run "$root" preupgrade
t_eq "after answering, preupgrade passes" 0 "$E_RC"
t_eq "the actor got the answer" 1 "$(db "$root" "select count(*) from logs where message = 'answer: true'")"
t_done

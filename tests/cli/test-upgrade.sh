#!/bin/bash
# leapp upgrade, --resume [--force], --reboot, the reboot-required state file, the upgrade log
# across the reboot, and leapp rerun.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../engine/lib-engine.sh"
. "$(dirname "$0")/lib-cli.sh"

runs_of() { db "$ROOT" "select count(*) from actor_runs r join executions e on e.id = r.execution where r.actor = '$1' and e.kind = 'upgrade'"; }

new_root; root=$ROOT
mk_actor "$root" facts FactsCollection chain "" TestValue
mk_actor "$root" prep InterimPreparation chain TestValue TestValue
mk_actor "$root" initram InitRamStart chain TestValue TestValue
mk_actor "$root" fin Finalization chain TestValue TestValue
mk_actor "$root" first FirstBoot chain TestValue TestValue
state=$root/var/lib/leapp/reboot-required
ulog=$root/var/log/leapp/leapp-upgrade.log

cli "$root" upgrade --resume
t_rc "--resume with no upgrade recorded: exit 1" 1
t_has "it says there is none" "$C_ERR" "there is no upgrade to resume"
t_has "... in the upgrade log too" "$(cat "$ulog")" "error leapp: there is no upgrade to resume"
rm -r "$root/var"

# ---- the part before the reboot ----
cli "$root" upgrade
t_rc "upgrade to the reboot: exit 0" 0
t_has "it asks for the reboot" "$C_OUT" "A reboot is required to continue. Please reboot your system."
t_has "the next step is the reboot" "$C_OUT" "Next step: reboot the system to continue with the upgrade."
t_eq "it stopped after InterimPreparation" "1 0" "$(runs_of prep) $(runs_of initram)"
[ -f "$state" ] && t_ok "the reboot-required state file exists" || t_fail "the reboot-required state file exists"
exec1=$(db "$root" "select uuid from executions where kind='upgrade'")
t_eq "the state file names the run and the phase" "$exec1 InterimPreparation" "$(json_get "$state" 'd["execution"] + " " + d["phase"]')"
t_has "the upgrade log has the run" "$(cat "$ulog")" "====> * prep: test actor prep (chain)"

# ---- --resume in the upgrade initramfs: up to Finalization, which reboots by itself ----
cli "$root" upgrade --resume
t_rc "--resume to Finalization: exit 0" 0
t_eq "the interim phases ran, FirstBoot not yet" "1 1 1 0" "$(runs_of prep) $(runs_of initram) $(runs_of fin) $(runs_of first)"
t_has "the next step: the machine reboots" "$C_OUT" "Next step: the system reboots into the upgraded system."
t_eq "the state file now names Finalization" "Finalization" "$(json_get "$state" 'd["phase"]')"
t_eq "the upgrade log continues across the reboot (both runs)" "2" "$(grep -c 'command: ' "$ulog")"
t_eq "--resume archives nothing" "" "$(ls "$root/var/log/leapp/archive" 2>/dev/null)"

# ---- --resume on the first boot: FirstBoot, finished ----
cli "$root" upgrade --resume
t_rc "--resume for FirstBoot: exit 0" 0
t_eq "FirstBoot ran" "1" "$(runs_of first)"
[ ! -e "$state" ] && t_ok "the finished upgrade removed the state file" || t_fail "the finished upgrade removed the state file"
t_has "the next step: none" "$C_OUT" "Next step: none; the upgrade has finished."
cli "$root" upgrade --resume
t_rc "--resume of a finished upgrade: exit 1" 1
t_has "it says there is nothing to resume" "$C_ERR" "has finished: there is nothing to resume"

# ---- rerun ----
cli "$root" rerun --from-phase FirstBoot
t_rc "rerun --from-phase FirstBoot: exit 0" 0
t_has "rerun says what it does" "$C_ERR" "rerunning upgrade $exec1 from phase FirstBoot (1 earlier actor run(s) discarded)"
t_has "FirstBoot ran again" "$C_OUT" "====> * first: test actor first (chain)"
t_hasnt "nothing before it ran" "$C_OUT" "====> * fin:"
t_eq "the discarded run is gone, the new one committed" "1" "$(db "$root" "select count(*) from actor_runs where actor='first' and committed=1")"
t_eq "rerun archived the previous upgrade log" "1" "$(ls "$root"/var/log/leapp/archive/*/leapp-upgrade.log | wc -l)"
cli "$root" rerun FirstBootPhase
t_rc "leapp's form: rerun FirstBootPhase (positional, Phase suffix)" 0
cli "$root" rerun --from-phase Finalization --json-progress
t_rc "rerun --from-phase Finalization: exit 0" 0
t_eq "rerun from Finalization runs Finalization, then asks for the reboot" "fin reboot" \
	"$(printf '%s\n' "$C_OUT" | "$PY" -c 'import json,sys; ev=[json.loads(l) for l in sys.stdin]; print(" ".join([e["actor"] for e in ev if e["event"] == "actor-start"] + [ev[-1]["status"]]))')"
cli "$root" rerun --from-phase Checks
t_rc "rerun of a phase before the reboot: exit 2" 2
t_has "it says why" "$C_ERR" "rerun: Checks runs before the reboot and cannot be run again; run leapp upgrade"
cli "$root" rerun --from-phase Nope
t_rc "rerun of an unknown phase: exit 2" 2
t_has "it names the phase and the choices" "$C_ERR" "rerun: unknown phase 'Nope' (one of: InitRamStart, LateTests"
cli "$root" rerun --from-phase FirstBoot extra
t_rc "rerun with an extra argument: exit 2" 2

# ---- a failed actor after the reboot: --resume refuses until --force ----
new_root; root=$ROOT
mk_actor "$root" prep InterimPreparation chain "" TestValue
mk_actor "$root" initram InitRamStart exit3 TestValue ""
mk_actor "$root" fin Finalization chain "" TestValue
cli "$root" upgrade
t_rc "upgrade: exit 0" 0
cli "$root" upgrade --resume
t_rc "--resume with a failing actor: exit 1" 1
t_has "the report names the failure" "$(cat "$root/var/log/leapp/leapp-report.txt")" "Title: Actor initram failed: exited with code 3"
[ -f "$root/var/lib/leapp/reboot-required" ] && t_fail "no reboot is pending after the failure" || t_ok "no reboot is pending after the failure"
cli "$root" upgrade --resume
t_rc "--resume again without --force: exit 1" 1
t_has "it refuses and says how to go on" "$C_ERR" "actor initram failed in phase InitRamStart of the last upgrade"
t_has "... with --force" "$C_ERR" "leapp upgrade --resume --force"
set_cfg "$root" initram mode chain
sed -i 's/^produces: \[\]/produces: [TestValue]/' "$root/etc/leapp/repos.d/test/actors/initram/actor.yaml"
cli "$root" upgrade --resume --force
t_rc "--resume --force after the fix: exit 0 (Finalization asks for the reboot)" 0
t_has "the failed actor ran again" "$C_OUT" "====> * initram: "
t_hasnt "... and succeeded" "$C_OUT" "FAILED"
cli "$root" rerun --from-phase FirstBoot
t_rc "rerun of a phase the upgrade has not reached: exit 1" 1
t_has "it says so" "$C_ERR" "has not reached phase FirstBoot yet"

# ---- an inhibited upgrade: exit 3, no reboot ----
new_root; root=$ROOT
mk_actor "$root" inh Checks inhibit "" TestValue
mk_actor "$root" prep InterimPreparation chain "" TestValue
cli "$root" upgrade
t_rc "an inhibited upgrade: exit 3" 3
t_eq "it stops at the inhibitor barrier" "0" "$(db "$root" "select count(*) from actor_runs where actor='prep'")"
[ ! -e "$root/var/lib/leapp/reboot-required" ] && t_ok "no reboot is pending" || t_fail "no reboot is pending"
cli "$root" upgrade --resume
t_rc "--resume of an inhibited upgrade: exit 1" 1
t_has "it says to fix the inhibitors" "$C_ERR" "was inhibited: fix the inhibitors in the report and run leapp upgrade again"
cli "$root" rerun --from-phase FirstBoot
t_rc "rerun after an inhibited upgrade: exit 1" 1

# ---- --reboot ----
new_root; root=$ROOT
mk_actor "$root" prep InterimPreparation chain "" TestValue
cat >"$root/reboot-ok" <<EOF
#!/bin/sh
echo rebooted >"$root/rebooted"
EOF
printf '#!/bin/sh\nexit 4\n' >"$root/reboot-fails"
chmod +x "$root/reboot-ok" "$root/reboot-fails"
cli "$root" upgrade --reboot
t_rc "--reboot with --root not /: exit 0" 0
t_has "--reboot never reboots this machine for another --root" "$C_ERR" "--reboot: not rebooting this machine: the upgraded system is --root $root; reboot it yourself"
LEAPP_DEVEL_REBOOT_COMMAND=$root/reboot-ok cli "$root" upgrade --reboot --json-progress
t_rc "--reboot: exit 0" 0
[ -f "$root/rebooted" ] && t_ok "--reboot ran the reboot command" || t_fail "--reboot ran the reboot command"
t_has "--reboot says so" "$C_ERR" "Rebooting the system as --reboot asks: $root/reboot-ok"
t_eq "done says it is rebooting" "True" "$(printf '%s\n' "$C_OUT" | tail -n1 | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["rebooting"])')"
rm -f "$root/rebooted"
LEAPP_DEVEL_REBOOT_COMMAND=$root/reboot-ok cli "$root" upgrade
[ ! -f "$root/rebooted" ] && t_ok "without --reboot there is no reboot" || t_fail "without --reboot there is no reboot"
LEAPP_DEVEL_REBOOT_COMMAND=$root/reboot-fails cli "$root" upgrade --reboot
t_rc "--reboot whose reboot fails: exit 1" 1
t_has "it says the reboot failed and what to do" "$C_ERR" "--reboot: $root/reboot-fails failed with exit code 4; reboot the system yourself"
LEAPP_DEVEL_REBOOT_COMMAND=$root/no-such-command cli "$root" upgrade --reboot
t_rc "--reboot whose command is missing: exit 1" 1

# ---- options reach the actors and the execution record ----
new_root; root=$ROOT
mk_actor "$root" env FactsCollection env "" TestValue
mk_actor "$root" feat FactsCollection chain "" "" "feature: livemode"
sed -i 's/^produces: \[\]/produces: [TestValue]/' "$root/etc/leapp/repos.d/test/actors/feat/actor.yaml"
cli "$root" upgrade --target 9.6 --enablerepo r1 --enablerepo r2,r3 --nogpgcheck --jobs 3 --debug
log=$(cat "$root/var/log/leapp/leapp-upgrade.log")
t_has "--target reaches the actors" "$log" "env LEAPP_UPGRADE_PATH_TARGET_RELEASE=9.6"
t_has "--enablerepo (repeated and comma-separated) reaches the actors" "$log" "env LEAPP_ENABLE_REPOS=r1,r2,r3"
t_has "--nogpgcheck reaches the actors" "$log" "env LEAPP_NOGPGCHECK=1"
t_has "--debug reaches the actors" "$log" "env LEAPP_DEBUG=1"
t_has "the kind reaches the actors" "$log" "env LEAPP_EXECUTION_KIND=upgrade"
t_eq "the execution records jobs, target, repos" "3 9.6 ['r1', 'r2', 'r3'] True" \
	"$("$PY" -c 'import json,sys; c=json.loads(sys.argv[1]); print(c["jobs"], c["target"], c["enablerepo"], c["nogpgcheck"])' \
		"$(db "$root" "select config from executions order by id desc limit 1")")"
t_hasnt "an actor of a feature does not run unless enabled" "$C_OUT" "====> * feat:"
cli "$root" upgrade --enable-experimental-feature livemode
t_has "--enable-experimental-feature livemode runs its actors" "$C_OUT" "====> * feat:"
# --resume continues with the options of the run it resumes (the initramfs does not repeat them)
mk_actor "$root" env2 InitRamStart env "" TestValue
mk_actor "$root" feat2 InitRamStart chain "" TestValue "feature: livemode"
mk_actor "$root" prep InterimPreparation chain "" ""
sed -i 's/^produces: \[\]/produces: [TestValue]/' "$root/etc/leapp/repos.d/test/actors/prep/actor.yaml"
LEAPP_UNSUPPORTED=1 cli "$root" upgrade --target 9.6 --enablerepo r9 --enable-experimental-feature livemode
t_rc "upgrade with options to the reboot: exit 0" 0
cli "$root" upgrade --resume
t_rc "--resume without the options: exit 0" 0
rlog=$(sed -n '/command: .*--resume/,$p' "$root/var/log/leapp/leapp-upgrade.log")
t_has "--resume: the target of the first run reaches the actors" "$rlog" "env LEAPP_UPGRADE_PATH_TARGET_RELEASE=9.6"
t_has "--resume: the repositories of the first run" "$rlog" "env LEAPP_ENABLE_REPOS=r9"
t_has "--resume: the LEAPP_* variables of the first run" "$rlog" "env LEAPP_UNSUPPORTED=1"
t_has "--resume: the experimental feature of the first run stays enabled" "$C_OUT" "====> * feat2:"
cli "$root" preupgrade --no-sandbox
t_has "--no-sandbox is reported" "$(cat "$root/var/log/leapp/leapp-report.txt")" "Title: Actors ran without the sandbox (--no-sandbox)"

t_done

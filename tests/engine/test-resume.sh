#!/bin/bash
# A broker killed with SIGKILL in the middle of a phase: its actors die too, --resume finishes
# the workflow, no message is lost or duplicated, and the store passes integrity_check.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-engine.sh"

set_ms() { sed -i "s/ms: {type: integer, default: 100}/ms: {type: integer, default: $3}/" "$1/etc/leapp/repos.d/test/actors/$2/actor.yaml"; }

root=$(mk_root)
mk_actor "$root" f_fast FactsCollection chain "" TestValue
mk_actor "$root" f_slow FactsCollection sleep "" TestValue "side_effects: true"
set_ms "$root" f_slow 3000
mk_actor "$root" f_after FactsCollection chain TestValue TestValue "stage: after"
mk_actor "$root" c1 Checks chain TestValue TestValue
mk_actor "$root" i1 InterimPreparation chain "" TestValue
mk_actor "$root" r1 InitRamStart chain "" TestValue
mk_actor "$root" u_fast RPMUpgrade chain "" TestValue
mk_actor "$root" u_slow RPMUpgrade sleep "" TestValue "side_effects: true"
set_ms "$root" u_slow 3000
mk_actor "$root" a1 Applications chain TestValue TestValue
mk_actor "$root" fin Finalization chain "" TestValue
mk_actor "$root" fb FirstBoot chain TestValue TestValue

# 1. kill -9 in the middle of FactsCollection, while f_slow runs
"$T_LEAPP" upgrade --root "$root" --jobs 2 >"$root/run1.log" 2>&1 &
broker=$!
for _ in $(seq 100); do
	[ "$(db "$root" "select count(*) from actor_runs where actor='f_slow' and pid is not null" 2>/dev/null)" = 1 ] && break
	sleep 0.05
done
sleep 0.3
apid=$(db "$root" "select pid from actor_runs where actor='f_slow'")
kill -9 "$broker"
wait "$broker" 2>/dev/null
sleep 0.3
if t_pid_dead "$apid"; then t_ok "the actor died with the broker"; else t_fail "the actor died with the broker (pid $apid alive)"; fi
t_eq "f_fast had committed" 1 "$(db "$root" "select committed from actor_runs where actor='f_fast'")"
t_eq "f_slow had not committed" 0 "$(db "$root" "select committed from actor_runs where actor='f_slow'")"
t_check "the store is intact after the kill" test "$(db "$root" "pragma integrity_check")" = ok

leapp_run "$root" upgrade --resume
t_eq "--resume after the kill reaches the reboot (exit 0)" 0 "$E_RC"
[[ "$E_OUT" == *"discarded 1 actor run(s) that did not commit"* ]] && t_ok "the uncommitted run was discarded" || t_fail "discarded" "$E_OUT"
t_eq "f_fast was not run again" 1 "$(db "$root" "select count(*) from actor_runs where actor='f_fast'")"
t_eq "f_slow ran again and committed" "1|1" "$(db "$root" "select count(*) || '|' || sum(committed) from actor_runs where actor='f_slow'")"
[[ "$E_OUT" == *"reboot"* ]] && t_ok "a pending reboot is announced" || t_fail "reboot announced" "$E_OUT"
t_eq "the execution waits for the reboot" "reboot|InitRamStart" "$(db "$root" "select status || '|' || next_phase from executions")"

# 2. the interim resume, killed in the middle of RPMUpgrade
"$T_LEAPP" upgrade --resume --root "$root" >"$root/run2.log" 2>&1 &
broker=$!
for _ in $(seq 100); do
	[ "$(db "$root" "select count(*) from actor_runs where actor='u_slow' and pid is not null" 2>/dev/null)" = 1 ] && break
	sleep 0.05
done
sleep 0.3
apid=$(db "$root" "select pid from actor_runs where actor='u_slow'")
kill -9 "$broker"
wait "$broker" 2>/dev/null
sleep 0.3
if t_pid_dead "$apid"; then t_ok "the RPMUpgrade actor died with the broker"; else t_fail "the RPMUpgrade actor died with the broker"; fi
leapp_run "$root" upgrade --resume
t_eq "--resume finishes the interim phases (exit 0, reboot)" 0 "$E_RC"
t_eq "RPMUpgrade: u_fast kept, u_slow ran again" "1 1" "$(db "$root" "select count(*) from actor_runs where actor='u_fast'") $(db "$root" "select count(*) from actor_runs where actor='u_slow'")"
t_eq "r1 (InitRamStart) did not run again" 1 "$(db "$root" "select count(*) from actor_runs where actor='r1'")"
t_eq "the execution waits for the first boot" "reboot|FirstBoot" "$(db "$root" "select status || '|' || next_phase from executions")"

# 3. first boot
leapp_run "$root" upgrade --resume
t_eq "the first-boot resume finishes (exit 0)" 0 "$E_RC"
t_eq "the execution is finished" "finished" "$(db "$root" "select status from executions")"
leapp_run "$root" upgrade --resume
[ "$E_RC" -eq 1 ] && [[ "$E_OUT" == *"nothing to resume"* ]] && t_ok "a further --resume says there is nothing to resume" || t_fail "nothing to resume" "$E_OUT"

# every actor's message exactly once, nothing else
want="a1 c1 f_after f_fast f_slow fb fin i1 r1 u_fast u_slow"
t_eq "every actor produced exactly one visible message" "$want" \
	"$(db "$root" "select group_concat(producer, ' ') from (select m.producer from messages m join actor_runs r on r.id=m.run where r.committed=1 order by m.producer)")"
t_eq "no message rows of uncommitted runs remain" 0 "$(db "$root" "select count(*) from messages m join actor_runs r on r.id=m.run where r.committed=0")"
t_check "integrity_check passes" test "$(db "$root" "pragma integrity_check")" = ok
# the chain's values prove the consumers saw the right inputs: fb consumed everything before it
t_eq "the first-boot actor saw all ten earlier messages" 10 \
	"$(db "$root" "select count(*) from messages m join actor_runs r on r.id=m.run where r.committed=1 and m.okey < (select min(okey) from messages where producer='fb')")"
t_done

#!/bin/bash
# Processes and limits: a child left behind is dead when the broker moves on; a fork bomb, a memory
# hog, a spinner, a CPU hog and an fd hog are stopped by their limits while the broker and the
# other actors go on; actors die with the broker.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../engine/lib-engine.sh"
. "$(dirname "$0")/lib-sandbox.sh"

# --- a child that outlives the actor (its own session, deaf to SIGTERM and SIGHUP)
root=$(sb_root)
beat=$root/var/lib/leapp/scratch/orphan/heartbeat
mk_hostile "$root" orphan FactsCollection orphan "$beat"
mk_hostile "$root" watcher FactsCollection watch "$beat" "stage: after"
leapp_run "$root" preupgrade
t_eq "the run succeeds" 0 "$E_RC"
t_eq "the orphan's actor finished" 0 "$(errors_of "$root" orphan)"
t_check "the orphan was beating while its actor ran" test -s "$beat"
t_eq "the next stage saw the orphan dead" "the orphan is dead" "$(produced_by "$root" watcher)"
a=$(cat "$beat"); sleep 0.3
t_eq "the orphan is dead after the run" "$a" "$(cat "$beat")"

# --- limits; a well-behaved actor runs beside them the whole time
root=$(sb_root)
mk_hostile "$root" bomb FactsCollection forkbomb "" "limits: {pids: 32}
timeout: 3"
mk_hostile "$root" hog FactsCollection memhog "" "limits: {memory_mb: 64}"
mk_hostile "$root" spinner FactsCollection spin "" "timeout: 2"
sed -i 's/n: {type: integer, default: 0}/n: {type: integer, default: 2}/' "$root/etc/leapp/repos.d/test/actors/spinner/actor.yaml"
mk_hostile "$root" cpu FactsCollection spin "" "limits: {cpu_seconds: 1}"
mk_hostile "$root" fds FactsCollection fdhog "" "limits: {open_files: 32}"
mk_actor "$root" good FactsCollection sleep "" TestValue "" "" 
sed -i 's/ms: {type: integer, default: 100}/ms: {type: integer, default: 2500}/' "$root/etc/leapp/repos.d/test/actors/good/actor.yaml"
mk_actor "$root" good_after FactsCollection chain TestValue TestValue "stage: after"
t0=$SECONDS
leapp_run "$root" preupgrade --jobs 6
t_eq "the run completes (with errors)" 1 "$E_RC"
t_check "the run took less than the longest timeout plus the kill grace (and some)" test $((SECONDS - t0)) -lt 30
check_hostile "$root" bomb "the sandbox's process limit of 32 was reached"
check_hostile "$root" hog "the sandbox's memory limit of 64 MB was reached"
check_hostile "$root" spinner "timed out after 2 s"
check_hostile "$root" cpu "the sandbox's CPU-time limit of 1 s was reached"
check_hostile "$root" fds "Too many open files"
t_eq "the good actor beside them committed" 1 "$(committed_count "$root" good)"
t_eq "the actor of the next stage ran and committed" 1 "$(committed_count "$root" good_after)"
# not pid 1 of its namespace (the sandbox's init is), the bomb dies of the timeout's SIGTERM
t_eq "the recorded kill of the bomb" "failed|15" "$(db "$root" "select status || '|' || signal from actor_runs where actor = 'bomb'")"
no_leftovers "test-procs limits"

# --- actors die with the broker
root=$(sb_root)
mk_hostile "$root" victim FactsCollection spin ""
sed -i 's/n: {type: integer, default: 0}/n: {type: integer, default: 3}/' "$root/etc/leapp/repos.d/test/actors/victim/actor.yaml"
"$T_LEAPP" preupgrade --root "$root" >/dev/null 2>&1 &
bpid=$!
for _ in $(seq 100); do [ "$(pgrep -c -f "$HOSTILE")" -ge 4 ] && break; sleep 0.05; done
t_eq "the actor and its three children run" 4 "$(pgrep -c -f "$HOSTILE")"
stale=$(find /sys/fs/cgroup -maxdepth 6 -type d -name "leapp-$bpid" | head -1)
exec 3>&2 2>/dev/null # no "Killed" line from the shell
kill -9 "$bpid"
wait "$bpid"
exec 2>&3 3>&-
for _ in $(seq 40); do [ "$(pgrep -c -f "$HOSTILE")" = 0 ] && break; sleep 0.05; done
t_eq "they all died with the broker" 0 "$(pgrep -c -f "$HOSTILE")"
# a broker killed like this leaves its (empty) cgroups behind; the next broker removes them
fake=/sys/fs/cgroup/pids/leapp-$(( $(cat /proc/sys/kernel/pid_max) + 1 ))
mkdir -p "$fake/actor0"
root2=$(mk_root)
mk_actor "$root2" good FactsCollection chain "" TestValue
leapp_run "$root2" preupgrade
t_check "the next broker removed the cgroup of the dead one" test ! -d "$stale"
t_check "and the cgroups of any dead broker" test ! -d "$fake"
rmdir "$fake/actor0" "$fake" 2>/dev/null
no_leftovers "test-procs"
t_done

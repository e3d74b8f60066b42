#!/bin/bash
# The audit store's failure policy (DESIGN.md section 2): a failed read, write, commit or sync
# stops the workflow at once with an error naming the cause (exit 1), is never taken for "no
# more messages" or "not committed", and what was committed before stays intact. Faults come
# from tests/engine/faultshim.c, preloaded into leapp only.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-engine.sh"

SHIM=$T_BUILD/tests/faultshim.so
[ -f "$SHIM" ] || { t_fail "the fault shim is built" "$SHIM"; t_done; exit 1; }
# the shim is preloaded ahead of the sanitizer runtime in build-san
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0

# faulty FAULT ROOT ARGS...: leapp with the fault injected; output in E_OUT, exit code in E_RC
faulty() {
	local fault=$1 root=$2; shift 2
	E_OUT=$(LD_PRELOAD=$SHIM LEAPP_FAULT=$fault timeout "${T_FAULT_TIMEOUT:-60}" "$T_LEAPP" "$@" --root "$root" 2>&1); E_RC=$?
}

# after_fault NAME ROOT CAUSE...: exit 1, the error names every CAUSE, integrity_check passes,
# and the first (clean) preupgrade is intact
after_fault() {
	local name=$1 root=$2 c; shift 2
	t_eq "$name: exit code 1" 1 "$E_RC"
	for c in "$@"; do
		case "$E_OUT" in *"$c"*) t_ok "$name: the error says '$c'" ;;
			*) t_fail "$name: the error says '$c'" "$(printf '%s' "$E_OUT" | tail -5)" ;; esac
	done
	t_eq "$name: integrity_check" ok "$(db "$root" "pragma integrity_check")"
	t_eq "$name: the earlier run is intact" "finished|3|3" \
		"$(db "$root" "select e.status || '|' || (select count(*) from actor_runs r where r.execution = e.id and r.committed = 1) || '|' ||
			(select count(*) from messages m where m.execution = e.id) from executions e where e.id = 1")"
}

mk() {
	local root
	root=$(mk_root)
	mk_actor "$root" p1 FactsCollection chain "" TestValue
	mk_actor "$root" p2 FactsCollection chain "" TestValue
	mk_actor "$root" c1 Checks consume TestValue TestValue
	leapp_run "$root" preupgrade
	[ "$E_RC" = 0 ] || t_fail "the clean preupgrade runs" "$E_OUT"
	echo "$root"
}

# 1. a failed read is not end-of-input: c1 reads its input one row at a time; the second row fails
root=$(mk)
faulty "step:m.okey > ?2@2" "$root" preupgrade
after_fault "a failed read of an actor's input" "$root" "reading the input of actor c1" "disk I/O error"
t_eq "the actor that lost its input did not commit" 0 \
	"$(db "$root" "select count(*) from actor_runs where execution = 2 and actor = 'c1' and committed = 1")"

# 2. a COMMIT refused as busy leaves SQLite's transaction open: the store must not believe it closed
root=$(mk)
faulty "exec:COMMIT@3=busy" "$root" preupgrade
after_fault "a busy COMMIT" "$root" "commit" "database is locked"
t_eq "after a failed commit no actor of a later phase ran" 0 \
	"$(db "$root" "select count(*) from actor_runs where execution = 2 and phase = 'Checks'")"

# 3. a write that fails (disk full)
root=$(mk)
faulty "step:INSERT INTO messages@1=full" "$root" preupgrade
after_fault "a failed message insert" "$root" "storing a message" "database or disk is full"

# 4. every sync fails: the first durable point stops the run
root=$(mk)
faulty "sync@1+" "$root" preupgrade
after_fault "a disk whose syncs fail" "$root" "disk I/O error"
t_eq "no actor ran on a store that cannot sync" 0 "$(db "$root" "select count(*) from actor_runs where execution > 1")"

# 5. the durable record before an actor that changes the system: its failure stops the run
#    before the actor starts (sync 1: the new execution; sync 2: the record of s1)
root=$(mk)
mk_actor "$root" s1 FactsCollection chain "" TestValue "side_effects: true"
faulty "exec:PRAGMA user_version@2" "$root" preupgrade
after_fault "a failed durable record before a system change" "$root" "recording the start of an actor run"
t_eq "the actor that changes the system never started" 0 \
	"$(db "$root" "select count(*) from actor_runs where execution = 2 and actor = 's1' and started is not null")"

# 6. --resume refuses to go past a failed actor; a read error must not skip that refusal
root=$(mk_root)
mk_actor "$root" u1 FactsCollection exit3 "" TestValue
leapp_run "$root" upgrade
t_eq "an upgrade with a failing actor exits 1" 1 "$E_RC"
faulty "step:status IN ('failed', 'killed')@1" "$root" upgrade --resume
t_eq "resume on an unreadable store: exit 1" 1 "$E_RC"
case "$E_OUT" in *"cannot read the actor runs"*"disk I/O error"*) t_ok "resume says the store could not be read" ;;
	*) t_fail "resume says the store could not be read" "$E_OUT" ;; esac
t_eq "resume ran nothing" 1 "$(db "$root" "select count(*) from actor_runs where actor = 'u1'")"

# 7. resume skips committed actors; a read error must not be taken for "not committed"
root=$(mk_root)
mk_actor "$root" r1 FactsCollection chain "" TestValue
mk_actor "$root" r2 FactsCollection exit3 "" TestValue
leapp_run "$root" upgrade
t_eq "an upgrade whose r2 fails exits 1" 1 "$E_RC"
faulty "step:phase = ? AND committed = 1@1" "$root" upgrade --resume --force
t_eq "resume on an unreadable store: exit 1 (committed runs)" 1 "$E_RC"
case "$E_OUT" in *"reading which actors have run"*"disk I/O error"*) t_ok "resume names the failed read" ;;
	*) t_fail "resume names the failed read" "$E_OUT" ;; esac
t_eq "the committed actor did not run again" 1 "$(db "$root" "select count(*) from actor_runs where actor = 'r1'")"
t_eq "integrity_check after the failed resume" ok "$(db "$root" "pragma integrity_check")"
mkdir -p "$root/etc/leapp/actor_conf.d"
printf 't_r2:\n  mode: chain\n' >"$root/etc/leapp/actor_conf.d/test.yaml"
leapp_run "$root" upgrade --resume --force
t_eq "resume goes on once the fault is gone" "1|ok" \
	"$(db "$root" "select count(*) from actor_runs where actor = 'r1'")|$(db "$root" "select status from actor_runs where actor = 'r2' order by id desc limit 1")"

# 8. power loss: a phase barrier and the record before a system change are durable. The shim
#    logs the WAL's size at every sync; leapp is killed while s2 runs, and the WAL is cut back
#    to its last synced size, as a power loss would leave it.
root=$(mk_root)
mk_actor "$root" f1 FactsCollection chain "" TestValue
mk_actor "$root" s2 Checks hang "" TestValue "side_effects: true
timeout: 60"
log=$(t_tmpdir)/sync.log
LD_PRELOAD=$SHIM LEAPP_FAULT_LOG=$log "$T_LEAPP" upgrade --root "$root" >/dev/null 2>&1 &
pid=$!
for _ in $(seq 100); do
	[ "$(db "$root" "select count(*) from actor_runs where actor = 's2' and pid is not null" 2>/dev/null)" = 1 ] && break
	sleep 0.1
done
kill -9 "$pid"; wait "$pid" 2>/dev/null
size=$(awk '$1 == "sync" && $2 == "wal" {s = $3} END {print s + 0}' "$log")
truncate -s "$size" "$root/var/lib/leapp/leapp.db-wal"
rm -f "$root/var/lib/leapp/leapp.db-shm"
t_eq "power loss: the phase before the kill is durable" "ok|1" \
	"$(db "$root" "select status || '|' || committed from actor_runs where actor = 'f1'" 2>&1)"
t_eq "power loss: the start of the system change is durable" 1 \
	"$(db "$root" "select count(*) from actor_runs where actor = 's2'" 2>&1)"
t_eq "power loss: integrity_check" ok "$(db "$root" "pragma integrity_check" 2>&1)"
t_done

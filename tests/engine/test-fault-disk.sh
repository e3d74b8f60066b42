#!/bin/bash
# Real disk faults under the audit store (issue 22 item 2): a small tmpfs holding /var/lib/leapp
# fills up during an upgrade, and the filesystem is made read-only in the middle of a run. Each
# time: exit 1 with the cause named, integrity_check passes, the earlier run is intact, and
# `leapp upgrade --resume` finishes once the fault is gone.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-engine.sh"

# mk_upgrade_root: test actors over an upgrade's first phases; `upgrade` stops at the reboot
# InterimPreparation asks for (exit 0). /var/lib/leapp is a small tmpfs, the earlier run kept.
mk_upgrade_root() {
	local root
	root=$(mk_root)
	mk_actor "$root" f1 FactsCollection chain "" TestValue
	mk_actor "$root" c1 Checks chain TestValue TestValue
	mk_actor "$root" d1 Download chain TestValue TestValue
	echo "$root"
}
state_tmpfs() { # ROOT SIZE: /var/lib/leapp on a tmpfs of that size, holding what is there now
	local s=$1/var/lib/leapp keep
	keep=$(t_tmpdir)
	cp -a "$s/." "$keep/" 2>/dev/null
	mkdir -p "$s"
	mount -t tmpfs -o "size=$2,mode=0700" leapp-fault-test "$s"
	cp -a "$keep/." "$s/"
}
first_run() { db "$1" "select status || '|' || (select count(*) from actor_runs r where r.execution = e.id and r.committed = 1) from executions e where id = 1"; }

# 1. disk full: a Checks actor produces 200,000 messages into a store on a 3 MiB tmpfs
root=$(mk_upgrade_root)
leapp_run "$root" preupgrade
t_eq "the earlier run" "finished|2" "$(first_run "$root")"
mk_actor "$root" big Checks many "" TestValue "" ""
mkdir -p "$root/etc/leapp/actor_conf.d"
printf 't_big:\n  count: 200000\n' >"$root/etc/leapp/actor_conf.d/test.yaml"
state_tmpfs "$root" 3m
leapp_run "$root" upgrade
t_eq "disk full: exit 1" 1 "$E_RC"
case "$E_OUT" in *"the audit store failed"*"database or disk is full"*) t_ok "disk full: the error names the cause" ;;
	*) t_fail "disk full: the error names the cause" "$(tail -3 <<<"$E_OUT")" ;; esac
t_eq "disk full: integrity_check" ok "$(db "$root" "pragma integrity_check")"
t_eq "disk full: the earlier run is intact" "finished|2" "$(first_run "$root")"
mount -o remount,size=256m "$root/var/lib/leapp"
leapp_run "$root" upgrade --resume
t_eq "disk full: upgrade --resume finishes once there is room (exit 0, reboot asked)" "0|reboot" \
	"$E_RC|$(db "$root" "select status from executions order by id desc limit 1")"
t_eq "disk full: every actor of the upgrade committed once" "1|1|1|1" \
	"$(for a in f1 c1 big d1; do db "$root" "select count(*) from actor_runs r join executions e on e.id = r.execution where e.kind = 'upgrade' and actor = '$a' and committed = 1"; done | paste -sd'|')"

# 2. the database made read-only in the middle of a run: from the 12th statement that writes on,
#    every write is refused as SQLite refuses one on a read-only database (faultshim.c; a real
#    remount read-only is refused by the kernel while the store is open for writing)
SHIM=$T_BUILD/tests/faultshim.so
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0
root=$(mk_upgrade_root)
leapp_run "$root" preupgrade
t_eq "the earlier run (read-only case)" "finished|2" "$(first_run "$root")"
flog=$(t_tmpdir)/fault.log
out=$(LD_PRELOAD=$SHIM LEAPP_FAULT=readonly@12 LEAPP_FAULT_LOG=$flog "$T_LEAPP" upgrade --root "$root" 2>&1); rc=$?
t_check "read-only: the fault was injected" grep -q '^fault' "$flog"
t_eq "read-only: exit 1" 1 "$rc"
case "$out" in *"the audit store failed"*"attempt to write a readonly database"*) t_ok "read-only: the error names the cause" ;;
	*) t_fail "read-only: the error names the cause" "$(tail -3 <<<"$out")" ;; esac
t_eq "read-only: integrity_check" ok "$(db "$root" "pragma integrity_check" 2>&1)"
t_eq "read-only: the earlier run is intact" "finished|2" "$(first_run "$root" 2>&1)"
leapp_run "$root" upgrade --resume
t_eq "read-only: upgrade --resume finishes once it is writable again" "0|reboot" \
	"$E_RC|$(db "$root" "select status from executions order by id desc limit 1")"
t_eq "read-only: every actor of the upgrade committed once" "1|1|1" \
	"$(for a in f1 c1 d1; do db "$root" "select count(*) from actor_runs r join executions e on e.id = r.execution where e.kind = 'upgrade' and actor = '$a' and committed = 1"; done | paste -sd'|')"
t_done

#!/bin/bash
# Fault injection over a whole `leapp preupgrade` of the demo system (issue 22 item 2): the Nth
# read, write or sync of the audit store fails with EIO, or the Nth write with ENOSPC, for N
# sampled over every such call the run makes (T_FAULT_ALL=1, `make check-faults`: every N).
# Each time: the run stops with exit 1 and SQLite's cause in its error (or, when the fault
# hit nothing that mattered, finishes normally), integrity_check passes, the run committed
# before is intact, and no process is left; a clean run afterwards finishes.
. "$(dirname "$0")/../lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"

SHIM=$T_BUILD/tests/faultshim.so
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0
SAMPLES=${T_FAULT_SAMPLES:-4}

sysroot demo || { t_fail "mksysroot demo"; t_done; exit 1; }
R=$SR/root
db() { sqlite3 "$R/var/lib/leapp/leapp.db" "$1"; }
log=$F_DIR/count.log
out=$(LD_PRELOAD=$SHIM LEAPP_FAULT_LOG=$log "$T_LEAPP" preupgrade --root "$R" 2>&1); rc=$?
t_eq "the clean preupgrade (counting the store's calls) exits 0" 0 "$rc"
first="$(db "select count(*) from actor_runs where execution = 1 and committed = 1")|$(db "select count(*) from messages where execution = 1")"
read -r _ _ nread _ nwrite _ nsync < <(grep '^count' "$log" | tail -1)
t_check "the run made reads, writes and syncs ($nread, $nwrite, $nsync)" test "$nread" -gt 0 -a "$nwrite" -gt 0 -a "$nsync" -gt 0

# the N to try: every one with T_FAULT_ALL=1, else SAMPLES spread over 1..max (first and last included)
points() {
	local max=$1 i
	if [ "${T_FAULT_ALL:-0}" = 1 ]; then seq 1 "$max"; return; fi
	for i in $(seq 0 $((SAMPLES - 1))); do echo $((1 + i * (max - 1) / (SAMPLES - 1))); done | sort -un
}

bad=0 tried=0 hit=0
for kind in read write sync full; do
	case $kind in read) max=$nread ;; sync) max=$nsync ;; *) max=$nwrite ;; esac
	for n in $(points "$max"); do
		tried=$((tried + 1))
		flog=$F_DIR/fault.log; rm -f "$flog"
		out=$(LD_PRELOAD=$SHIM LEAPP_FAULT=$kind@$n LEAPP_FAULT_LOG=$flog timeout 120 "$T_LEAPP" preupgrade --root "$R" 2>&1); rc=$?
		why=""
		last=$(db "select status from executions order by id desc limit 1" 2>&1)
		if grep -q '^fault' "$flog" 2>/dev/null; then
			hit=$((hit + 1))
			if [ "$rc" = 0 ]; then
				# the fault hit something that did not matter (e.g. the checkpoint at exit): the run must really be complete
				[ "$last" = finished ] || why="exit 0 but the run is '$last'"
			elif [ "$rc" != 1 ]; then
				why="exit $rc"
			elif ! grep -qE 'disk I/O error|database or disk is full' <<<"$out"; then
				why="the error does not name the cause: $(tail -2 <<<"$out")"
			fi
		elif [ "$rc" != 0 ]; then
			why="no fault was injected, yet exit $rc: $(tail -2 <<<"$out")"
		fi
		ic=$(db "pragma integrity_check" 2>&1)
		[ "$ic" = ok ] || why="$why; integrity_check: $ic"
		now="$(db "select count(*) from actor_runs where execution = 1 and committed = 1")|$(db "select count(*) from messages where execution = 1")"
		[ "$now" = "$first" ] || why="$why; the first run changed: $first -> $now"
		left=$(pgrep -f "$T_BUILD/share/leapp/actors/" | while read -r p; do
			tr '\0' '\n' <"/proc/$p/environ" 2>/dev/null | grep -qx "LEAPP_ROOT=$R" && echo "$p"; done)
		[ -z "$left" ] || why="$why; actor processes left: $left"
		if [ -n "$why" ]; then bad=$((bad + 1)); t_fail "$kind@$n: a clear error, the store intact" "$why"; fi
	done
done
t_eq "every injected fault ($tried tried, $hit hit something): clear error, integrity_check ok, earlier run intact" 0 "$bad"
t_check "most faults hit something (the sample is not vacuous)" test "$hit" -ge $((tried / 2))
out=$("$T_LEAPP" preupgrade --root "$R" 2>&1); rc=$?
t_eq "a clean preupgrade after all of them exits 0" 0 "$rc"
t_eq "integrity_check at the end" ok "$(db "pragma integrity_check")"
t_done

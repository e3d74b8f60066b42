#!/bin/bash
# Allocation failure in the broker (issue 22 item 2, issue 16 item 8): LEAPP_FAULT_ALLOC=N makes
# the Nth allocation of `leapp preupgrade` fail (libmsg's x*(), and jansson's and libuv's, which
# the broker routes through them; broker/oom.c). N runs over a small root's preupgrade: a store
# holding an earlier run, test actors in two phases. Each time: exit 1, never a signal or a core
# (the abort it was), "out of memory" on stderr, the store passes PRAGMA integrity_check with
# the earlier run intact, no temporary file of the broker's left (.NAME.HEX.tmp), no actor
# process left; a clean run afterwards finishes. make check runs a sample of N (T_FAULT_SAMPLES,
# the first allocation, the one where the first actor starts and the last one among them);
# T_FAULT_ALL=1 (`make check-faults`) every N up to the first actor's start and a sample after
# it (every T_FAULT_STEP-th, default 7), and a sample over the demo system's whole preupgrade.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-engine.sh"

export LEAPP_UNSUPPORTED=1
SAMPLES=${T_FAULT_SAMPLES:-8}
STEP=${T_FAULT_STEP:-7}

root=$(mk_root)
mk_actor "$root" a1 FactsCollection chain "" TestValue
mk_actor "$root" a2 FactsCollection chain TestValue TestValue
mk_actor "$root" a3 Checks report TestValue TestValue
save=$(t_tmpdir)

# counts ROOT: "FIRST TOTAL": the allocations a preupgrade of ROOT makes before its first actor
# starts, and in all (LEAPP_FAULT_ALLOC=count)
counts() {
	local out
	out=$(LEAPP_FAULT_ALLOC=count "$T_LEAPP" preupgrade --root "$1" 2>&1 >/dev/null)
	echo "$(sed -n 's/^leapp: fault hook: \([0-9]*\) allocations before the first actor$/\1/p' <<<"$out")" \
		"$(sed -n 's/^leapp: fault hook: \([0-9]*\) allocations$/\1/p' <<<"$out")"
}

# the Ns to try: SAMPLES spread over 1..TOTAL with 1, FIRST and TOTAL; with T_FAULT_ALL=1 every
# N up to FIRST and every STEP-th after it
points() {
	local first=$1 total=$2 i
	if [ "${T_FAULT_ALL:-0}" = 1 ]; then
		seq 1 "$first"
		seq "$((first + 1))" "$STEP" "$total"
		echo "$total"
		return
	fi
	{ for i in $(seq 0 $((SAMPLES - 1))); do echo $((1 + i * (total - 1) / (SAMPLES - 1))); done; echo "$first"; } | sort -un
}

# fault_loop NAME ROOT ARGS...: every point of `leapp preupgrade --root ROOT ARGS` failing its
# Nth allocation; the store is put back as it was before each run
fault_loop() {
	local name=$1 r=$2 first total n out rc why ic bad=0 tried=0 hit=0 before left
	shift 2
	"$T_LEAPP" preupgrade --root "$r" "$@" >/dev/null 2>&1
	before="$(db "$r" "select count(*) from actor_runs where execution = 1 and committed = 1")|$(db "$r" "select count(*) from messages where execution = 1")"
	cp -a "$r/var/lib/leapp/leapp.db" "$save/leapp.db"
	read -r first total < <(counts "$r")
	t_check "$name: the counts of allocations (before the first actor: $first, in all: $total)" \
		test -n "$first" -a -n "$total" -a "${first:-0}" -gt 0 -a "${total:-0}" -gt "${first:-0}"
	for n in $(points "$first" "$total"); do
		tried=$((tried + 1))
		rm -f "$r/var/lib/leapp/leapp.db"*
		cp -a "$save/leapp.db" "$r/var/lib/leapp/leapp.db"
		out=$(LEAPP_FAULT_ALLOC=$n timeout 120 "$T_LEAPP" preupgrade --root "$r" "$@" 2>&1); rc=$?
		why=""
		if grep -q "out of memory" <<<"$out"; then
			hit=$((hit + 1))
			[ "$rc" = 1 ] || why="exit $rc"
			# the broker stops; or the buffer of an actor's frames could not grow: that actor is
			# killed with this error, the run goes on and fails
			grep -qE "^leapp: error: out of memory \(an allocation (of [0-9]+ bytes )?failed\): stopped|FAILED: sent more than the broker could buffer \(out of memory\)" <<<"$out" ||
				why="$why; the error: $(grep "out of memory" <<<"$out" | head -1)"
		elif [ "$rc" != 0 ] && [ "$n" -le "$first" ]; then
			why="exit $rc without an out-of-memory error: $(tail -2 <<<"$out")"
		fi
		ic=$(db "$r" "pragma integrity_check" 2>&1)
		[ "$ic" = ok ] || why="$why; integrity_check: $ic"
		now="$(db "$r" "select count(*) from actor_runs where execution = 1 and committed = 1")|$(db "$r" "select count(*) from messages where execution = 1")"
		[ "$now" = "$before" ] || why="$why; the earlier run changed: $before -> $now"
		left=$(find "$r" \( -name '.*.tmp' -o -name '*.tmp.*' \) -print | head -3)
		[ -z "$left" ] || why="$why; temporary files left: $left"
		left=$(pgrep -f "$T_BUILD/(tests/testactor|share/leapp/actors/)" | while read -r p; do
			tr '\0' '\n' <"/proc/$p/environ" 2>/dev/null | grep -qx "LEAPP_ROOT=$r" && echo "$p"; done)
		[ -z "$left" ] || why="$why; actor processes left: $left"
		if [ -n "$why" ]; then
			bad=$((bad + 1))
			t_fail "$name: allocation $n fails: exit 1, out of memory, the store intact" "$why"
			[ "$bad" -ge 10 ] && break
		fi
		[ $((tried % 1000)) = 0 ] && echo "# $name: $tried tried, $hit hit, $bad bad"
	done
	t_eq "$name: every failed allocation ($tried tried, $hit hit): exit 1 and 'out of memory', integrity_check ok, earlier run intact, no temporary file or actor left" 0 "$bad"
	t_check "$name: the allocations up to the first actor's start all hit (the sample is not vacuous)" \
		test "$hit" -ge "$(points "$first" "$total" | awk -v f="$first" '$1 <= f' | wc -l)"
	rm -f "$r/var/lib/leapp/leapp.db"*
	cp -a "$save/leapp.db" "$r/var/lib/leapp/leapp.db"
	out=$("$T_LEAPP" preupgrade --root "$r" "$@" 2>&1); rc=$?
	t_eq "$name: a clean preupgrade afterwards finishes as the first did" "$(db "$r" "select status from executions where id = 1")" \
		"$(db "$r" "select status from executions order by id desc limit 1")"
}

fault_loop small "$root"

# the hook is a test hook: without LEAPP_UNSUPPORTED=1 it is refused, and a run never passes it on
out=$(LEAPP_UNSUPPORTED=0 LEAPP_FAULT_ALLOC=1 "$T_LEAPP" preupgrade --root "$root" 2>&1); rc=$?
t_check "LEAPP_FAULT_ALLOC without LEAPP_UNSUPPORTED=1 is ignored, and says so" \
	grep -q "LEAPP_FAULT_ALLOC ignored: it is a test hook" <<<"$out"
t_check "and the run is not stopped by it" bash -c "! grep -q 'out of memory' <<<\"\$1\"" _ "$out"
LEAPP_FAULT_ALLOC=count "$T_LEAPP" preupgrade --root "$root" >/dev/null 2>&1
t_eq "the hook is not recorded with the execution (a --resume would inherit it)" "" \
	"$(db "$root" "select json_extract(config, '\$.env.LEAPP_FAULT_ALLOC') from executions order by id desc limit 1")"

if [ "${T_FAULT_ALL:-0}" = 1 ]; then
	. "$T_TOP/tests/facts/lib-facts.sh"
	sysroot demo || { t_fail "mksysroot demo"; t_done; exit 1; }
	unset LEAPP_ACTORS_DIR
	SAMPLES=${T_FAULT_DEMO_SAMPLES:-40}
	T_FAULT_ALL=0 fault_loop demo "$SR/root"
fi
t_done

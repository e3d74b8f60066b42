#!/bin/bash
# Store faults over a whole demo upgrade (issue 22 item 2), for `make check-faults` only (it is
# not a test-*.sh: make check does not run it). tests/engine/faultshim.so fails the Nth read,
# write or sync of the audit store with EIO, or the Nth write with ENOSPC, in one of the three
# steps of the upgrade: `leapp upgrade`, the interim `upgrade --resume` (the upgrade initramfs)
# and the first-boot one. The points: every step, kind and N, N spread over the calls that step
# makes in an unfaulted upgrade (T_FAULT_SAMPLES per step and kind, default 3), ordered by a
# seed (T_FAULT_SEED, printed; default from the clock) of which the first T_FAULT_POINTS (default
# 12; "all") run. Each time: the faulted step finishes (exit 0), or stops with exit 1 and
# SQLite's cause ("disk I/O error", "database or disk is full"); the store passes
# integrity_check; then, the fault gone, clean `upgrade --resume` runs (and `upgrade` again
# where a resume refuses) finish the upgrade, and the rpmdb is the unfaulted upgrade's.
# The dracut and boot-entry actors are left out, as in the crash test (u_actors_noboot).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-upgrade.sh"

SHIM=$T_BUILD/tests/faultshim.so
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0
SAMPLES=${T_FAULT_SAMPLES:-3}
SEED=${T_FAULT_SEED:-$(date +%s)}
POINTS=${T_FAULT_POINTS:-12}
STEPS="upgrade resume1 resume2"

u_init
u_actors_noboot
u_sysroot demo base || { t_fail "mksysroot demo"; t_done; exit 1; }
u_leapp base preupgrade
t_eq "preupgrade exits 0" 0 "$U_RC" || u_show base

# f_step NAME STEP [ENV...]: one step of the upgrade on NAME, under the shim; exit code in U_RC
f_step() {
	local name=$1 step=$2
	shift 2
	local args=(upgrade)
	[ "$step" = upgrade ] || args=(upgrade --resume)
	echo "=== $step $*" >>"$U_DIR/$name.out"
	env "$@" LD_PRELOAD="$SHIM" LEAPP_ACTORS_DIR="$U_ACTORS" timeout 900 "$T_LEAPP" "${args[@]}" \
		--root "$(u_root "$name")" >>"$U_DIR/$name.out" 2>&1
	U_RC=$?
}

# the unfaulted upgrade, counting each step's calls
u_copy base ref
for s in $STEPS; do
	f_step ref "$s" LEAPP_FAULT_LOG="$U_DIR/ref.$s.log"
	t_eq "ref: $s exits 0" 0 "$U_RC" || u_show ref
	# the broker's counts: the largest (a child the broker forked, e.g. the sandbox's, may log
	# its own copy when it exits)
	read -r r w y < <(awk '/^count/ { if ($3 > r) r = $3; if ($5 > w) w = $5; if ($7 > y) y = $7 } END { print r + 0, w + 0, y + 0 }' \
		"$U_DIR/ref.$s.log")
	t_check "ref: $s made reads, writes and syncs ($r, $w, $y)" test "$r" -gt 1 -a "$w" -gt 1 -a "$y" -gt 1
	echo "$s $r $w $y" >>"$U_DIR/counts"
done
u_check_upgraded ref
REF_RPM=$(u_rpm ref -qa | sort)

points=$(while read -r s r w y; do
	for kind in read write sync full; do
		case $kind in read) max=$r ;; sync) max=$y ;; *) max=$w ;; esac
		for i in $(seq 0 $((SAMPLES - 1))); do echo "$s:$kind@$((1 + i * (max - 1) / (SAMPLES - 1)))"; done
	done
done <"$U_DIR/counts" | sort -u)
total=$(wc -l <<<"$points")
points=$(shuf --random-source=<(openssl enc -aes-256-ctr -pass "pass:$SEED" -nosalt </dev/zero 2>/dev/null) <<<"$points")
[ "$POINTS" = all ] || points=$(head -n "$POINTS" <<<"$points")
echo "# fault points: seed $SEED, $(wc -l <<<"$points") of $total: $(echo $points)"

# f_finish NAME: clean resumes until the upgrade is done (at most 5 runs), `upgrade` again where
# a resume refuses
f_finish() {
	local name=$1 i
	for i in 1 2 3 4 5; do
		f_step "$name" resume
		if [ "$U_RC" = 0 ]; then
			tail -3 "$U_DIR/$name.out" | grep -q "A reboot is required to continue" || return 0
		elif tail -1 "$U_DIR/$name.out" | grep -q "has finished: there is nothing to resume"; then
			return 0
		else
			f_step "$name" upgrade
		fi
	done
	return 1
}

k=0
for point in $points; do
	k=$((k + 1))
	n=f$k step=${point%%:*} fault=${point#*:}
	u_copy base "$n"
	for s in $STEPS; do
		[ "$s" = "$step" ] && break
		f_step "$n" "$s"
	done
	f_step "$n" "$step" LEAPP_FAULT="$fault"
	if [ "$U_RC" = 0 ]; then
		t_ok "$n ($point): the step finished (the fault hit nothing that mattered)"
	else
		t_eq "$n ($point): the step stops with exit 1" 1 "$U_RC" || u_show "$n"
		t_check "$n ($point): naming SQLite's cause" grep -qE 'disk I/O error|database or disk is full' \
			<(sed -n '/^=== '"$step"' LEAPP_FAULT/,$p' "$U_DIR/$n.out")
	fi
	t_eq "$n ($point): the audit store passes integrity_check" ok \
		"$(sqlite3 "file:$(u_root "$n")/var/lib/leapp/leapp.db?mode=ro" 'PRAGMA integrity_check' 2>&1)"
	# the steps the fault left to do, then the clean finish
	f_finish "$n"
	t_eq "$n ($point): clean runs finish the upgrade" 0 "$?" || u_show "$n"
	t_eq "$n ($point): the rpmdb is the unfaulted upgrade's" "$REF_RPM" "$(u_rpm "$n" -qa | sort)"
	[ "${U_FAULT_KEEP:-0}" = 1 ] || rm -rf "${U_DIR:?}/$n"
done
t_done

#!/bin/bash
# Crash safety of the phases after the reboot (issue 9): leapp is killed with SIGKILL at several
# points of the interim resume (test actors wait in InitRamStart and Finalization, scriptlets in
# the RPM transaction, the rpmdb rebuild before it) and of the first-boot resume (the named
# cases below), and at seeded points over both resumes (the section at the end); each
# time further `leapp upgrade --resume` runs finish the upgrade, the rpmdb then holds exactly the
# expected packages (no package twice but the kernels), and neither leapp's audit store nor the
# rpmdb is corrupt (sqlite's integrity check, rpm -qa, rpm's dependency check).
#
# The system is scripts/sysroot/specs/demo-crash.yaml: the demo with scriptlets that wait while a
# hold file exists, so the kills inside the RPM transaction are at known points:
#   %post of the el9 crash-probe       some el9 packages installed, no el8 one erased yet
#   %postun of the el8 setup           most old versions erased, a few still there
#   %posttrans of the el9 crash-probe  the transaction complete, the actor not finished
# The dracut and boot-entry actors are left out (lib-upgrade.sh, u_actors_noboot): each case
# would cost two dracut runs, and test-demo-upgrade.sh runs them. The long variant,
# `make check-upgrade-long` (U_CRASH_FULL=1), runs every actor, and kills leapp in the middle of
# the target kernel's dracut run in Finalization too.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-upgrade.sh"

u_init
[ "${U_CRASH_FULL:-0}" = 1 ] || u_actors_noboot
u_sysroot demo-crash base || { t_fail "mksysroot demo-crash"; t_done; exit 1; }
B=$(u_root base)
# the admin changed sshd_config too: the upgrade keeps it, with sshd_config.rpmnew beside it,
# and sshd_drop_in_directory_apply prepends release 9's Include line to the kept file
printf '# the admin was here\nClientAliveInterval 300\n' >>"$B/etc/ssh/sshd_config"
u_leapp base preupgrade
t_eq "preupgrade exits 0" 0 "$U_RC" || u_show base
u_leapp base upgrade
t_eq "upgrade exits 0 (the reboot into the upgrade initramfs is next)" 0 "$U_RC" || u_show base
BEFORE=$(u_rpm base -qa | sort)
# rpmdb entries once every new package is in and no old one erased yet
ALL_IN=$(($(wc -l <<<"$BEFORE") + $(jq '[.transaction[] | select(.action != "remove" and .action != "obsolete")] | length' \
	"$B/var/log/leapp/transaction.json")))

# after_kill NAME WHAT: the state right after a kill
after_kill() {
	t_eq "$1: leapp was killed $2" 1 "$U_KILLED"
	t_eq "$1: right after the kill the audit store and the rpmdb are intact" "ok ok" "$(u_integrity "$1")"
	t_check "$1: right after the kill rpm -qa reads the rpmdb" u_rpm "$1" -qa
}

# finish NAME: resume until the upgrade is done, as the reboots would; then check the result
finish() {
	local name=$1 root
	root=$(u_root "$name")
	rm -f "$root"/var/tmp/crash-probe.hold-*
	u_leapp "$name" upgrade --resume
	t_eq "$name: the interim resume finishes (exit 0)" 0 "$U_RC" || u_show "$name"
	t_check "$name: and announces the reboot into the upgraded system" grep -q "A reboot is required to continue" \
		<(tail -3 "$U_DIR/$name.out")
	u_probe "$name"
	U_LAST_RESULT=$(u_msg "$name" RPMUpgradeResult '"\(.status) resumed=\(.resumed) duplicates=\(.duplicates | length)"')
	u_leapp "$name" upgrade --resume
	t_eq "$name: the first-boot resume finishes (exit 0)" 0 "$U_RC" || u_show "$name"
	u_check_upgraded "$name"
	t_check "$name: the admin's sshd_config is kept" grep -q "^ClientAliveInterval 300$" "$root/etc/ssh/sshd_config"
	t_check "$name: leapp's Include line is prepended to it, once, with its comment" bash -c \
		"head -1 '$root/etc/ssh/sshd_config' | grep -q '^# Added by leapp' && test \$(grep -c '^Include /etc/ssh/sshd_config.d/' '$root/etc/ssh/sshd_config') = 1"
	t_check "$name: sshd_config.rpmnew is beside it" test -s "$root/etc/ssh/sshd_config.rpmnew"
}

# the named cases a-g (U_CRASH_SEEDED_ONLY=1, as in `make check-crash`, skips them)
if [ "${U_CRASH_SEEDED_ONLY:-0}" != 1 ]; then
# a: killed early in the interim resume, before any of its runs committed (InitRamStart has no
# actor here; a test actor waits in LateTests' before stage): the next resume continues after
# the reboot, not in InterimPreparation, whose runs are the last recorded (that would only ask
# for the reboot again); the rpmdb is untouched
u_copy base a
u_hold_actor a LateTests before
touch "$(u_root a)/var/tmp/hold-LateTests"
u_kill_at a /var/tmp/at-LateTests upgrade --resume
after_kill a "early in LateTests"
rm -f "$(u_root a)/var/tmp/hold-LateTests"
t_eq "a: the rpmdb is untouched" "$BEFORE" "$(u_rpm a -qa | sort)"
finish a
t_check "a: the resume did not go back to InterimPreparation" bash -c \
	"sed -n '/killed at \\/var\\/tmp\\/at-LateTests/,\$p' '$U_DIR/a.out' | (! grep -q 'phase .InterimPreparation.')"
t_eq "a: the RPM upgrade ran once, not resumed" "upgraded resumed=false duplicates=0" "$U_LAST_RESULT"

# b: killed in the middle of the RPM transaction's installs
u_copy base b
touch "$(u_root b)/var/tmp/crash-probe.hold-post"
u_kill_at b /var/tmp/crash-probe.at-post upgrade --resume
after_kill b "in crash-probe's %post"
t_check "b: the RPM upgrade showed its progress (--json-progress)" grep -q \
	'"event":"progress",.*"actor":"rpm_upgrade","what":"RPM upgrade: installing"' "$U_DIR/b.progress.json"
t_check "b: the rpmdb holds packages of both releases now" test "$(u_twice b | wc -w)" -gt 6
t_check "b: el9 packages are in" u_rpm b -q bash-5.1.8-9.el9 crash-probe-2.0-1.el9
finish b
t_check "b: the resumed RPM upgrade erased the duplicates" grep -qE "^upgraded resumed=true duplicates=([1-9][0-9]+)$" <<<"$U_LAST_RESULT"
t_check "b: it says it solved again from a changed rpmdb" grep -q "an earlier run was interrupted" \
	"$(u_root b)/var/log/leapp/leapp-upgrade.log"

# c: killed while rpm erases the old versions
u_copy base c
touch "$(u_root c)/var/tmp/crash-probe.hold-postun"
u_kill_at c /var/tmp/crash-probe.at-postun upgrade --resume
after_kill c "in setup's %postun"
n=$(u_rpm c -qa | wc -l)
t_check "c: some old versions are erased ($n of $ALL_IN rpmdb entries left)" test "$n" -lt "$ALL_IN"
t_check "c: some are still there" test "$(u_twice c | wc -w)" -gt 3
finish c
t_check "c: the resumed RPM upgrade erased what was left" grep -qE "^upgraded resumed=true duplicates=[1-9]" <<<"$U_LAST_RESULT"

# d: killed after the transaction, before the actor finished: the rerun has nothing to do
u_copy base d
touch "$(u_root d)/var/tmp/crash-probe.hold-posttrans"
u_kill_at d /var/tmp/crash-probe.at-posttrans upgrade --resume
after_kill d "in crash-probe's %posttrans"
t_eq "d: the transaction was complete" "$(u_expected d)" "$(u_names d)"
finish d
t_eq "d: the rerun of the RPM upgrade did nothing" "nothing-to-do resumed=true duplicates=0" "$U_LAST_RESULT"

# e: killed twice in the RPM upgrade (installs, then the resumed run's erasures), then a third run
u_copy base e
touch "$(u_root e)/var/tmp/crash-probe.hold-post"
u_kill_at e /var/tmp/crash-probe.at-post upgrade --resume
after_kill e "in crash-probe's %post"
rm -f "$(u_root e)/var/tmp/crash-probe.hold-post"
touch "$(u_root e)/var/tmp/crash-probe.hold-postun"
u_kill_at e /var/tmp/crash-probe.at-postun upgrade --resume
after_kill e "again, in the resumed run (setup's %postun)"
finish e

# r: killed inside the rpmdb rebuild (Preparation: el8's BerkeleyDB rpmdb into sqlite), at the
# stages of rpmrebuild_run's hold hook (actors/lib/rpm/rpm.h):
#   rebuilt   the sqlite database written beside the old one, not verified: the resume redoes it
#   verified  verified and marked durable, not swapped in (U_CRASH_FULL only)
#   swapped   exchanged with the old one, which is not removed yet: the resume cleans up
# each time the system's rpmdb reads whole right after the kill, and the resume finishes the job
stages="rebuilt swapped"
[ "${U_CRASH_FULL:-0}" = 1 ] && stages="rebuilt verified swapped"
export LEAPP_DEVEL_REBUILD_HOLD=1
for stage in $stages; do
	n=r-$stage
	u_copy base "$n"
	touch "$(u_root "$n")/var/tmp/rpmdb-rebuild.hold-$stage"
	u_kill_at "$n" "/var/tmp/rpmdb-rebuild.at-$stage" upgrade --resume
	after_kill "$n" "inside the rpmdb rebuild ($stage)"
	t_check "$n: the rebuild had reached that stage" test -e "$(u_root "$n")/var/tmp/rpmdb-rebuild.at-$stage"
	t_eq "$n: every package reads as before" "$BEFORE" "$(u_rpm "$n" -qa | sort)"
	rm -f "$(u_root "$n")/var/tmp/rpmdb-rebuild.hold-$stage"
	finish "$n"
	t_check "$n: the rpmdb is sqlite, nothing of the rebuild left" test -f "$(u_root "$n")/var/lib/rpm/rpmdb.sqlite" \
		-a ! -e "$(u_root "$n")/var/lib/rpm/Packages" -a ! -e "$(u_root "$n")/var/lib/rpmrebuilddb.leapp" \
		-a ! -e "$(u_root "$n")/var/lib/rpmrebuilddb.leapp.verified"
	t_eq "$n: the RPM upgrade ran once, not resumed" "upgraded resumed=false duplicates=0" "$U_LAST_RESULT"
done
unset LEAPP_DEVEL_REBUILD_HOLD

# f: killed in Finalization, then in the first-boot resume (test actors that wait there)
u_copy base f
F=$(u_root f)
u_hold_actor f Finalization
u_hold_actor f FirstBoot
touch "$F/var/tmp/hold-Finalization" "$F/var/tmp/hold-FirstBoot"
u_kill_at f /var/tmp/at-Finalization upgrade --resume
after_kill f "in Finalization"
rm -f "$F/var/tmp/hold-Finalization"
u_leapp f upgrade --resume
t_eq "f: the interim resume finishes (exit 0)" 0 "$U_RC" || u_show f
u_kill_at f /var/tmp/at-FirstBoot upgrade --resume
after_kill f "in FirstBoot"
rm -f "$F/var/tmp/hold-FirstBoot"
u_leapp f upgrade --resume
t_eq "f: the first-boot resume finishes (exit 0)" 0 "$U_RC" || u_show f
u_check_upgraded f

if [ "${U_CRASH_FULL:-0}" = 1 ]; then
	# g: killed while dracut builds the target kernel's initramfs in Finalization
	u_copy base g
	u_kill_at g actor:target_initramfs_generator+5 upgrade --resume
	after_kill g "while dracut built the target initramfs"
	finish g
	KVER=$(jq -r .kernel.target.kver "$(u_manifest g)")
	t_check "g: the target kernel's initramfs was built again, whole" test -s "$(u_root g)/boot/initramfs-$KVER.img"
	t_check "g: the target kernel is the default" grep -aqx "saved_entry=$(cat "$(u_root g)/etc/machine-id")-$KVER" \
		"$(u_root g)/boot/grub2/grubenv"
fi
fi

# ---- seeded crash points (issue 22) ----
# A reference copy of the system resumes to the end uncrashed; then, for each chosen point, a
# fresh copy is killed (SIGKILL) there, resumed until the upgrade is done (`upgrade --resume`,
# and `upgrade` again where a resume refuses), and must end exactly like the reference: the same
# rpm -qa, the same report entries (severity and title), the same count of messages per model
# and producer over the committed runs of leapp.db (none lost, none duplicated).
# The points: every actor the two resumes run, killed as it starts (start:ACTOR: the broker's
# LEAPP_DEVEL_KILL_AT_START hook, right after it let the actor go) and between its rows and its
# "committed" row (commit:ACTOR: LEAPP_DEVEL_KILL_BEFORE_COMMIT, the rows made durable first);
# inside the RPM transaction (rpm:post, rpm:postun, rpm:posttrans: crash-probe's scriptlets);
# inside the rpmdb rebuild (rebuild:rebuilt, rebuild:verified, rebuild:swapped);
# with U_CRASH_FULL=1 (the boot actors present) also inside dracut (dracut).
# Seeds: U_CRASH_SEED orders the points (shuf with a random source made from the seed); the
# test prints it ("# crash points: seed S, N of M points: ..."), and U_CRASH_SEED=S reruns the
# same points in the same order; U_CRASH_ONLY="POINT..." runs just those points; U_CRASH_KEEP=1
# keeps each case's copy until the test ends. make check runs a fixed sample: seed 75, whose
# first 3 points (U_CRASH_POINTS) are one of each kind: rebuild:swapped, start:rpm_upgrade,
# commit:check_fips_enabled. `make check-crash` runs every point (U_CRASH_POINTS=all, 58 with
# the noboot actors) in the order of a seed taken from the clock unless U_CRASH_SEED is given.
U_CRASH_SEED=${U_CRASH_SEED:-75}
U_CRASH_POINTS=${U_CRASH_POINTS:-3}
export U_KILL_POLLS=6000

# c_run NAME N [ENV...]: the Nth resume after the reboot (1: the upgrade initramfs, 2: first boot)
# with its --json-progress in $U_DIR/NAME.N.json
c_run() {
	local name=$1 n=$2
	shift 2
	echo "=== leapp upgrade --resume ($n)" >>"$U_DIR/$name.out"
	env "$@" LEAPP_ACTORS_DIR="${U_ACTORS:-$U_ACTORS_SRC}" "$T_LEAPP" upgrade --resume --json-progress \
		--root "$(u_root "$name")" >"$U_DIR/$name.$n.json" 2>>"$U_DIR/$name.out"
	U_RC=$?
}
# c_state NAME: what is compared with the reference, one section per line group
c_state() {
	local root
	root=$(u_root "$1")
	echo "== rpm"
	u_rpm "$1" -qa | sort
	echo "== report"
	jq -r '.entries[] | "\(.severity) \(.title)"' "$(u_report "$1")" | sort
	echo "== messages of committed runs (model producer count)"
	sqlite3 "file:$root/var/lib/leapp/leapp.db?mode=ro" "SELECT m.model, m.producer, count(*) FROM messages m
		JOIN actor_runs r ON m.run = r.id WHERE r.committed = 1 GROUP BY m.model, m.producer ORDER BY 1, 2"
}

u_copy base ref
c_run ref 1
t_eq "ref: the interim resume finishes (exit 0)" 0 "$U_RC" || u_show ref
c_run ref 2
t_eq "ref: the first-boot resume finishes (exit 0)" 0 "$U_RC" || u_show ref
c_state ref >"$U_DIR/ref.state"
# which resume runs which actor
for n in 1 2; do
	jq -r 'select(.event == "actor-start") | .actor' "$U_DIR/ref.$n.json" | sort -u >"$U_DIR/ref.actors.$n"
done
points=$(for n in 1 2; do sed 's/^/start:/' "$U_DIR/ref.actors.$n"; sed 's/^/commit:/' "$U_DIR/ref.actors.$n"; done
	echo rpm:post rpm:postun rpm:posttrans rebuild:rebuilt rebuild:verified rebuild:swapped | tr ' ' '\n'
	[ "${U_CRASH_FULL:-0}" = 1 ] && echo dracut)
total=$(wc -l <<<"$points")
points=$(shuf --random-source=<(openssl enc -aes-256-ctr -pass "pass:$U_CRASH_SEED" -nosalt </dev/zero 2>/dev/null) <<<"$points")
[ "$U_CRASH_POINTS" = all ] || points=$(head -n "$U_CRASH_POINTS" <<<"$points")
# U_CRASH_ONLY="POINT...": exactly these points (to rerun a failure)
[ -n "${U_CRASH_ONLY:-}" ] && points=$(tr ' ' '\n' <<<"$U_CRASH_ONLY")
echo "# crash points: seed $U_CRASH_SEED, $(wc -l <<<"$points") of $total points: $(echo $points)"

# c_resume_of POINT: the resume (1 or 2) in which POINT is
c_resume_of() {
	case $1 in
	start:* | commit:*) grep -qx "${1#*:}" "$U_DIR/ref.actors.1" && echo 1 || echo 2 ;;
	*) echo 1 ;;
	esac
}

# c_point NAME POINT: the resume holding POINT, killed there
c_point() {
	local name=$1 point=$2 root at
	root=$(u_root "$name")
	case $point in
	start:* | commit:*)
		if [ "${point%%:*}" = start ]; then
			c_run "$name" k LEAPP_DEVEL_KILL_AT_START="${point#start:}"
		else
			c_run "$name" k LEAPP_DEVEL_KILL_BEFORE_COMMIT="${point#commit:}"
		fi
		U_KILLED=$([ "$U_RC" = 137 ] && echo 1 || echo 0)
		# what the sandbox started dies with leapp: nothing may remain
		for i in $(seq 100); do pgrep -f "$U_ACTORS_SRC|$U_DIR/actors" >/dev/null 2>&1 || break; sleep 0.1; done ;;
	rpm:*)
		touch "$root/var/tmp/crash-probe.hold-${point#rpm:}"
		u_kill_at "$name" "/var/tmp/crash-probe.at-${point#rpm:}" upgrade --resume ;;
	rebuild:*)
		touch "$root/var/tmp/rpmdb-rebuild.hold-${point#rebuild:}"
		LEAPP_DEVEL_REBUILD_HOLD=1 u_kill_at "$name" "/var/tmp/rpmdb-rebuild.at-${point#rebuild:}" upgrade --resume ;;
	dracut) u_kill_at "$name" actor:target_initramfs_generator+5 upgrade --resume ;;
	esac
	rm -f "$root"/var/tmp/crash-probe.hold-* "$root"/var/tmp/rpmdb-rebuild.hold-*
}

# c_finish NAME: resume (at most 4 times) until the upgrade is done: a resume that exits 0
# without asking for a reboot; a resume that refuses is followed by `upgrade`
c_finish() {
	local name=$1 i
	for i in 1 2 3 4; do
		c_run "$name" "f$i"
		if [ "$U_RC" = 0 ]; then
			tail -3 "$U_DIR/$name.out" | grep -q "A reboot is required to continue" || return 0
		elif tail -1 "$U_DIR/$name.out" | grep -q "has finished: there is nothing to resume"; then
			return 0 # the kill came after the last actor's commit
		else
			u_leapp "$name" upgrade
		fi
	done
	return 1
}

k=0
for point in $points; do
	k=$((k + 1))
	n=p$k
	u_copy base "$n"
	[ "$(c_resume_of "$point")" = 2 ] && c_run "$n" 1
	c_point "$n" "$point"
	t_eq "$n ($point): leapp was killed there" 1 "$U_KILLED" || u_show "$n"
	t_eq "$n ($point): right after the kill the audit store and the rpmdb are intact" "ok ok" "$(u_integrity "$n")"
	c_finish "$n"
	t_eq "$n ($point): resuming reaches the end of the upgrade" 0 "$?" || u_show "$n"
	c_state "$n" >"$U_DIR/$n.state"
	t_eq "$n ($point): the rpmdb, the report and the committed messages equal the uncrashed run's" "" \
		"$(diff "$U_DIR/ref.state" "$U_DIR/$n.state")"
	[ "${U_CRASH_KEEP:-0}" = 1 ] || rm -rf "${U_DIR:?}/$n"
done
t_done

#!/bin/bash
# A directory that a target package turns into a symlink (irb-trap.yaml: ruby-irb's
# /usr/share/ruby/irb): preupgrade finds it from the target repository's file lists for the
# planned package and reports it (exit 0, no inhibitor), DirToSymlinkTasks is stored; without
# ruby-irb in the plan (minimal) nothing is found; dir_to_symlink_preparation moves the directory
# aside (twice is once). The whole upgrade through the trap is in
# tests/upgrade/test-upgrade-apps.sh.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
SR=$F_DIR/sr
"$T_TOP/scripts/mksysroot" "$(dirname "$0")/irb-trap.yaml" "$SR" >"$F_DIR/mk.log" 2>&1 || { tail -5 "$F_DIR/mk.log"; t_fail "mksysroot irb-trap"; t_done; exit 1; }
R=$SR/root
REP=$R/var/log/leapp/leapp-report.json
T="Directories replaced by symlinks in the upgrade are moved aside"
OUT=$("$T_LEAPP" preupgrade --root "$R" 2>&1); RC=$?
t_eq "preupgrade: exit 0" 0 "$RC" "$(tail -5 <<<"$OUT")"
t_eq "the entry, info" "info" "$(jq -r --arg t "$T" '.entries[] | select(.title == $t) | .severity' "$REP")"
t_check "it names the directory and the package" grep -q "/usr/share/ruby/irb (ruby-irb-1.3.5-160.el9.x86_64)" \
	<<<"$(jq -r --arg t "$T" '.entries[] | select(.title == $t) | .summary' "$REP")"
t_eq "the task for the Preparation phase is stored" "1" \
	"$(sqlite3 "$R/var/lib/leapp/leapp.db" "select count(*) from messages where model = 'DirToSymlinkTasks' and instr(data, cast('/usr/share/ruby/irb' as blob)) > 0 and execution = (select max(id) from executions)")"

# the Preparation actor, sandboxed as in its phase, with the last run's messages
OUT=$("$T_LEAPP" actor run dir_to_symlink_preparation --from-last-run --root "$R" 2>"$F_DIR/run.err"); RC=$?
t_eq "preparation: runs" 0 "$RC" "$(tail -3 "$F_DIR/run.err")"
t_check "preparation: the directory is moved aside, with its files" test -f "$R/usr/share/ruby/irb.leappsave/completion.rb"
t_check "preparation: the path is free for rpm" test ! -e "$R/usr/share/ruby/irb"
OUT=$("$T_LEAPP" actor run dir_to_symlink_preparation --from-last-run --root "$R" 2>"$F_DIR/run.err")
t_check "preparation twice: nothing more moved" test ! -e "$R/usr/share/ruby/irb.leappsave.1"

sysroot minimal || { t_fail "mksysroot minimal"; t_done; exit 1; }
OUT=$("$T_LEAPP" preupgrade --root "$SR/root" 2>&1); RC=$?
t_eq "minimal: exit 0" 0 "$RC"
t_eq "minimal: no such entry" "" "$(jq -r --arg t "$T" '.entries[] | select(.title == $t) | .title' "$SR/root/var/log/leapp/leapp-report.json")"
t_done

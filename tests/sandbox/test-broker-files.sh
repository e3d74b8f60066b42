#!/bin/bash
# The broker's own files (DESIGN.md section 6): no actor can write the log directory or the answer
# files, in a source phase or in the interim phases; what is planted there anyway (by an actor of
# the state directory, by another program) is moved aside, never followed or read: a symlink at
# the log (the --resume attack), a FIFO or a symlink at the report, a symlink at the answers, a
# rollback journal, a symlinked -wal or a FIFO -shm beside the store. After each run nothing
# outside leapp's directories changed and the store passes integrity_check.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../engine/lib-engine.sh"
. "$(dirname "$0")/lib-sandbox.sh"

root=$(sb_root)
state=$root/var/lib/leapp
logd=$root/var/log/leapp
mk_hostile "$root" a_log FactsCollection symlink "$logd/leapp-upgrade.log|$root/etc/pwned-upgrade-log"
mk_hostile "$root" a_answers FactsCollection create "$logd/answerfile.userchoices"
mk_hostile "$root" a_answerfile FactsCollection create "$logd/answerfile"
mk_hostile "$root" a_journal FactsCollection create "$state/leapp.db-journal"
mk_hostile "$root" a_wal FactsCollection create "$state/leapp.db-wal"
mk_actor "$root" good FactsCollection chain "" TestValue

# --- a source phase: the actor's writes to the log directory, the answers and every name of the
# store (the journal too, which does not exist while the store is open in WAL mode) are refused;
# a journal planted between runs (by another program) is moved aside before the store is opened
leapp_run "$root" preupgrade
t_eq "preupgrade completes (with the hostile actors' errors)" 1 "$E_RC"
check_hostile "$root" a_log "Read-only file system"
check_hostile "$root" a_answers "Read-only file system"
check_hostile "$root" a_answerfile "Read-only file system"
t_check "the log is not a symlink" test ! -L "$logd/leapp-upgrade.log"
t_check "no answers were planted" test ! -e "$logd/answerfile.userchoices"
check_hostile "$root" a_journal "Read-only file system"
check_hostile "$root" a_wal "Read-only file system"
t_check "no journal was planted beside the store" test ! -s "$state/leapp.db-journal"
rm -rf "$root/etc/leapp/repos.d/test/actors/a_"*
echo "a hot journal, planted" >"$state/leapp.db-journal"
before=$(tree_hash "$root")
leapp_run "$root" preupgrade
t_eq "the next preupgrade succeeds" 0 "$E_RC"
t_check "the planted journal is gone (only the broker's empty placeholder is there)" test ! -s "$state/leapp.db-journal"
t_check "it was moved aside" bash -c "ls '$state' | grep -q '^leapp.db-journal.refused-'"
case "$E_OUT" in *"leapp.db-journal was "*"WAL mode"*) t_ok "the run names the planted journal" ;;
	*) t_fail "the run names the planted journal" "$(printf '%s' "$E_OUT" | grep -i journal)" ;; esac
t_check "the store passes integrity_check" test "$(db "$root" "pragma integrity_check")" = ok
t_eq "nothing outside leapp's directories changed" "$before" "$(tree_hash "$root")"

# --- the interim phases: the root is writable, the log directory and the answers are not; the
# upgrade log planted as a symlink between the runs (as an actor of an older leapp could) is not
# followed by --resume
root=$(sb_root)
state=$root/var/lib/leapp
logd=$root/var/log/leapp
mk_hostile "$root" rw_log InitRamStart symlink "$logd/leapp-upgrade.log|$root/etc/pwned-upgrade-log"
mk_hostile "$root" rw_answers InitRamStart create "$logd/answerfile.userchoices"
mk_hostile "$root" rw_report InitRamStart symlink "$logd/leapp-report.txt|$root/etc/pwned-report"
mk_hostile "$root" rw_journal InitRamStart create "$state/leapp.db-journal"
mk_actor "$root" good FactsCollection chain "" TestValue
leapp_run "$root" upgrade
t_eq "upgrade stops for the reboot" "0 reboot" "$E_RC $(db "$root" "select status from executions")"
rm -f "$logd/leapp-upgrade.log"
ln -s "$root/etc/pwned-upgrade-log" "$logd/leapp-upgrade.log"
leapp_run "$root" upgrade --resume
t_eq "the resumed run completes (with the hostile actors' errors)" 1 "$E_RC"
t_check "--resume did not follow the symlinked log" test ! -e "$root/etc/pwned-upgrade-log"
t_check "the log is a regular file again" test -f "$logd/leapp-upgrade.log" -a ! -L "$logd/leapp-upgrade.log"
t_check "the symlink was moved aside" bash -c "ls '$logd' | grep -q '^leapp-upgrade.log.refused-'"
case "$E_OUT" in *"leapp-upgrade.log was a symlink, which leapp did not create"*) t_ok "the run says so" ;;
	*) t_fail "the run says so" "$(printf '%s' "$E_OUT" | tail -n 5)" ;; esac
check_hostile "$root" rw_log "Read-only file system"
check_hostile "$root" rw_answers "Read-only file system"
check_hostile "$root" rw_report "Read-only file system"
t_check "the interim actor planted no answers" test ! -e "$logd/answerfile.userchoices"
t_check "the report is a regular file" test -f "$logd/leapp-report.txt" -a ! -L "$logd/leapp-report.txt"
t_check "nothing was written through a symlink" test ! -e "$root/etc/pwned-report"
t_check "the store passes integrity_check" test "$(db "$root" "pragma integrity_check")" = ok
check_hostile "$root" rw_journal "Read-only file system"
# rerun: a journal planted before it is moved aside before the store opens
rm -rf "$root/etc/leapp/repos.d/test/actors/rw_"*
echo "a hot journal, planted" >"$state/leapp.db-journal"
leapp_run "$root" rerun InitRamStart
t_eq "rerun succeeds" 0 "$E_RC"
t_check "rerun moved the planted journal aside" bash -c "test ! -s '$state/leapp.db-journal' && ls '$state' | grep -q '^leapp.db-journal.refused-'"
t_check "the store passes integrity_check after rerun" test "$(db "$root" "pragma integrity_check")" = ok

# --- planted by another program between runs: a FIFO at the report, a symlinked report, a
# symlinked -wal and a FIFO -shm; preupgrade neither hangs nor follows them
root=$(sb_root)
state=$root/var/lib/leapp
logd=$root/var/log/leapp
mk_actor "$root" good FactsCollection chain "" TestValue
leapp_run "$root" preupgrade
t_eq "a first preupgrade succeeds" 0 "$E_RC"
rm -f "$logd/leapp-report.json" "$logd/leapp-preupgrade.log"
mkfifo "$logd/leapp-report.json" "$logd/leapp-preupgrade.log" "$state/leapp.db-shm"
ln -sf "$root/etc/pwned-report" "$logd/leapp-report.txt"
ln -s "$root/etc/pwned-wal" "$state/leapp.db-wal"
ln -s "$root/etc/pwned-reboot" "$state/reboot-required"
before=$(tree_hash "$root")
E_OUT=$(timeout 60 "$T_LEAPP" preupgrade --root "$root" 2>&1); E_RC=$?
t_eq "preupgrade completes (no FIFO hangs it)" 0 "$E_RC"
t_eq "nothing outside leapp's directories changed" "$before" "$(tree_hash "$root")"
for f in "$logd/leapp-report.json" "$logd/leapp-report.txt" "$logd/leapp-preupgrade.log"; do
	t_check "${f##*/} is a regular file" test -f "$f" -a ! -L "$f" -a ! -p "$f"
done
t_check "the planted -wal and -shm were moved aside" bash -c "ls '$state' | grep -c 'leapp.db-\(wal\|shm\).refused-' | grep -qx 2"
t_check "the store passes integrity_check" test "$(db "$root" "pragma integrity_check")" = ok
t_eq "the store has both executions" 2 "$(db "$root" "select count(*) from executions")"
for f in pwned-report pwned-wal pwned-reboot; do
	t_check "nothing was written through the symlink to $f" test ! -e "$root/etc/$f"
done

# --- answers come from the admin only: a symlinked answer file is refused, not read
echo "[remove_pam_pkcs11_module_check]
confirm = True" >"$root/etc/answers"
ln -s "$root/etc/answers" "$logd/answerfile.userchoices"
leapp_run "$root" preupgrade --debug
t_eq "preupgrade goes on without them" 0 "$E_RC"
case "$E_OUT" in *"answerfile.userchoices: not a regular file"*"refusing to read answers"*) t_ok "the warning names the answer file" ;;
	*) t_fail "the error names the answer file" "$(printf '%s' "$E_OUT" | tail -n 3)" ;; esac
no_leftovers "test-broker-files"
t_done

#!/bin/bash
# The filesystem in a source-system phase: every write outside leapp's directories fails, on the
# root, on a submount of it, on the host outside it and on the audit store, and nothing changes;
# leapp's directories and the actor's scratch directory stay writable.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../engine/lib-engine.sh"
. "$(dirname "$0")/lib-sandbox.sh"

root=$(sb_root)
sb_outside
out=$SB_OUT
state=$root/var/lib/leapp
declare -A target=(
	[w_etc]="$root/etc/target"
	[w_sub]="$root/mnt/sub/target"
	[w_host]="$out/target"
	[w_db]="$state/leapp.db"
	[w_wal]="$state/leapp.db-wal"
	[w_lock]="$state/leapp.lock"
	[w_userspace]="$state/el9userspace/etc/target"
	[w_boot]="$root/boot/target"
)
for a in "${!target[@]}"; do
	expect=""
	case "$a" in w_db | w_wal | w_lock) expect=file-only ;; esac # their directory is writable
	mk_hostile "$root" "$a" FactsCollection write "${target[$a]}" "" "$expect"
done
# the positive controls: a test where every write fails would prove nothing
mk_hostile "$root" ok_scratch FactsCollection must-write "$state/scratch/ok_scratch/file"
mk_hostile "$root" w_state FactsCollection create "$state/hostile-state-file"
mk_hostile "$root" ok_state FactsCollection must-write "$state/ok_state/file" "sandbox: {writes: [/var/lib/leapp/ok_state]}"
mk_hostile "$root" bad_state FactsCollection must-write "$state/x" "sandbox: {writes: [/var/lib/leapp]}"
mk_hostile "$root" w_logdir FactsCollection create "$root/var/log/leapp/hostile-log-file"
mk_hostile "$root" ok_log FactsCollection must-write "$root/var/log/leapp/ok_log/file" "sandbox: {writes: [/var/log/leapp/ok_log]}"
mk_hostile "$root" bad_logdir FactsCollection must-write "$root/var/log/leapp/x" "sandbox: {writes: [/var/log/leapp]}"
mk_hostile "$root" ok_declared FactsCollection must-write "$state/el9userspace/etc/declared" \
	"sandbox: {writes: [/var/lib/leapp/el9userspace]}"
mk_hostile "$root" bad_declared FactsCollection must-write "$root/etc/declared" "sandbox: {writes: [/etc]}"
mk_hostile "$root" bad_dotdot FactsCollection must-write "$root/etc/dotdot" \
	"sandbox: {writes: [/var/lib/leapp/el9userspace/../../../../etc]}"
# well-behaved actors around them
mk_actor "$root" good1 FactsCollection chain "" TestValue
mk_actor "$root" good2 FactsCollection chain TestValue TestValue "stage: after"

# create the store (and its -wal, -shm, lock) first, so that there is something to protect
leapp_run "$root" preupgrade --jobs 4 --debug
t_eq "the first run completes (with errors)" 1 "$E_RC"
before=$(tree_hash "$root")
out_before=$(tree_hash "$out")
db_before=$(sha256sum "$state/leapp.db" | cut -d' ' -f1)
leapp_run "$root" preupgrade --jobs 4 --debug
t_eq "the run completes (with errors)" 1 "$E_RC"
t_eq "the run is recorded as finished or failed" failed "$(db "$root" "select status from executions order by id desc limit 1")"

for a in w_etc w_sub w_host w_userspace w_boot; do
	check_hostile "$root" "$a" "Read-only file system"
done
for a in w_db w_wal w_lock; do
	check_hostile "$root" "$a" "Read-only file system"
done
t_eq "the protected files are unchanged" \
	"the source system's file|a file on the submount|a host file outside the root|boot file|userspace file" \
	"$(cat "$root/etc/target")|$(cat "$root/mnt/sub/target")|$(cat "$out/target")|$(cat "$root/boot/target")|$(cat "$state/el9userspace/etc/target")"
t_eq "nothing outside leapp's directories changed (whole root, submount included)" "$before" "$(tree_hash "$root")"
t_eq "nothing changed on the host outside the root" "$out_before" "$(tree_hash "$out")"
t_check "the store passes integrity_check" test "$(db "$root" "pragma integrity_check")" = ok
t_eq "the store is still a database with both executions" 2 "$(db "$root" "select count(*) from executions")"

for a in ok_scratch ok_state ok_log ok_declared; do
	t_eq "$a: writing there works" 0 "$(errors_of "$root" "$a")"
done
t_check "the scratch directory was written" test -s "$state/scratch/ok_scratch/file"
t_check "the declared state subdirectory was written" test -s "$state/ok_state/file"
check_hostile "$root" w_state "Read-only file system"
t_check "w_state: nothing was created in the state directory" test ! -e "$state/hostile-state-file"
case "$(error_title "$root" bad_state)" in
	*"declares writes: /var/lib/leapp, the state directory itself"*) t_ok "bad_state: the state directory itself cannot be declared" ;;
	*) t_fail "bad_state: the state directory itself cannot be declared" "$(error_title "$root" bad_state)" ;;
esac
t_check "the declared log subdirectory was written" test -s "$root/var/log/leapp/ok_log/file"
check_hostile "$root" w_logdir "Read-only file system"
t_check "w_logdir: nothing was created in the log directory" test ! -e "$root/var/log/leapp/hostile-log-file"
case "$(error_title "$root" bad_logdir)" in
	*"declares writes: /var/log/leapp, the log directory itself"*) t_ok "bad_logdir: the log directory itself cannot be declared" ;;
	*) t_fail "bad_logdir: the log directory itself cannot be declared" "$(error_title "$root" bad_logdir)" ;;
esac
t_check "a declared write into the target userspace works" test -s "$state/el9userspace/etc/declared"
t_eq "bad_declared: one error entry" 1 "$(errors_of "$root" bad_declared)"
case "$(error_title "$root" bad_declared)" in
	*"declares writes: /etc"*"does not allow"*) t_ok "bad_declared: the entry says why it was not started" ;;
	*) t_fail "bad_declared: the entry says why it was not started" "$(error_title "$root" bad_declared)" ;;
esac
t_check "bad_declared wrote nothing" test ! -e "$root/etc/declared"
case "$(error_title "$root" bad_dotdot)" in
	*"declares writes: /var/lib/leapp/el9userspace/../../../../etc"*) t_ok "bad_dotdot: a declared write cannot climb out with .." ;;
	*) t_fail "bad_dotdot: a declared write cannot climb out with .." "$(error_title "$root" bad_dotdot)" ;;
esac
t_check "bad_dotdot wrote nothing" test ! -e "$root/etc/dotdot"

t_eq "good1 committed its message" 1 "$(committed_count "$root" good1)"
t_eq "good2 committed its message" 1 "$(committed_count "$root" good2)"
# good1 and the four positive controls committed one message each; the failed runs are invisible
t_eq "good2 saw exactly the committed messages" 1 \
	"$(db "$root" "select count(*) from logs l join actor_runs r on r.id = l.run where r.actor = 'good2'
		and r.execution = (select max(id) from executions) and message = 'consumed 5 messages, sum 5'")"
no_leftovers "test-fs"
t_done

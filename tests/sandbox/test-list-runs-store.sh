#!/bin/bash
# leapp list-runs checks the store's directory as the other commands do before it opens the store
# (SQLite plays a hot journal back at open): a planted -journal, a symlinked -wal or a FIFO -shm is
# moved aside and named when no leapp runs; while another leapp holds the run lock, nothing is
# touched and list-runs refuses to open the store beside a planted file, but accepts the running
# broker's empty placeholder journal and leaves it there.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../engine/lib-engine.sh"
. "$(dirname "$0")/lib-sandbox.sh"

root=$(sb_root)
state=$root/var/lib/leapp
mk_actor "$root" good FactsCollection chain "" TestValue
leapp_run "$root" preupgrade
t_eq "preupgrade succeeds" 0 "$E_RC"
rm -f "$state/leapp.db-journal" # the placeholder (no leapp runs now)

# no leapp running: planted files are moved aside, named, and the list is shown
echo "a hot journal, planted" >"$state/leapp.db-journal"
ln -sf /etc/passwd "$state/leapp.db-wal"
mkfifo "$state/leapp.db-shm"
leapp_run "$root" list-runs --json
t_eq "list-runs succeeds" 0 "$E_RC"
t_eq "it lists the run" preupgrade "$(printf '%s\n' "$E_OUT" | sed -n '/^\[/,$p' | jq -r '.[0].kind' 2>/dev/null)"
for f in leapp.db-journal leapp.db-wal leapp.db-shm; do
	t_check "$f was moved aside" bash -c "ls '$state' | grep -q '^$f.refused-'"
	case "$E_OUT" in *"$state/$f was "*"moved to $f.refused-"*) t_ok "list-runs names the planted $f" ;;
		*) t_fail "list-runs names the planted $f" "$E_OUT" ;; esac
done
t_check "the planted journal is not beside the store any more" test ! -e "$state/leapp.db-journal"
t_check "the symlink's target is untouched" test -s /etc/passwd
t_check "the store passes integrity_check" test "$(db "$root" "pragma integrity_check")" = ok

# another leapp holds the run lock: a planted journal is refused, not touched
rm -f "$state"/leapp.db-*.refused-*
exec {lk}<>"$state/leapp.lock"
flock -x "$lk"
echo "a hot journal, planted" >"$state/leapp.db-journal"
leapp_run "$root" list-runs
t_eq "while leapp runs, a planted journal: list-runs fails" 1 "$E_RC"
case "$E_OUT" in *"$state/leapp.db-journal is a rollback journal, which leapp did not leave there"*) t_ok "the error names the file" ;;
	*) t_fail "the error names the file" "$E_OUT" ;; esac
t_eq "the journal is left for the running leapp" "a hot journal, planted" "$(cat "$state/leapp.db-journal")"
t_eq "nothing was moved aside" "" "$(ls "$state" | grep refused)"
: >"$state/leapp.db-journal" # the running broker's placeholder
leapp_run "$root" list-runs --json
t_eq "while leapp runs, its empty placeholder: list-runs works" 0 "$E_RC"
t_check "the placeholder stays" test -e "$state/leapp.db-journal"
exec {lk}>&-
t_check "the store passes integrity_check" test "$(db "$root" "pragma integrity_check")" = ok
t_done

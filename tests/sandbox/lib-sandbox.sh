# Helpers for the sandbox tests: hostile actors, a test root with a submount, tree hashes.
# Source after tests/lib.sh and tests/engine/lib-engine.sh.

HOSTILE=$T_BUILD/tests/hostile

# sb_root: a fresh test root (see mk_root) holding a system to protect: /etc/target, a tmpfs
# mounted on /mnt/sub with a file on it (the submount), /boot, and a target userspace.
sb_root() {
	local root
	root=$(mk_root)
	mkdir -p "$root/etc" "$root/mnt/sub" "$root/boot" "$root/var/lib/leapp/el9userspace/etc" "$root/var/log/leapp"
	echo "the source system's file" >"$root/etc/target"
	echo "boot file" >"$root/boot/target"
	echo "userspace file" >"$root/var/lib/leapp/el9userspace/etc/target"
	mount -t tmpfs -o size=1m,mode=0755 leapp-sbx-test "$root/mnt/sub"
	echo "a file on the submount" >"$root/mnt/sub/target"
	echo "$root"
}

# sb_outside: sets SB_OUT to a new directory outside the root and outside /tmp (which the sandbox
# replaces), with a file "target" in it; removed when the test exits. (Not $(sb_outside): the
# cleanup must be registered in the test's own shell.)
sb_outside() {
	SB_OUT=$(mktemp -d /var/tmp/leapp-sbx-outside.XXXXXX)
	echo "a host file outside the root" >"$SB_OUT/target"
	T_CLEANUP_HOOK="${T_CLEANUP_HOOK:-}${T_CLEANUP_HOOK:+; }rm -rf '$SB_OUT'"
	trap 't_cleanup' EXIT
}

# mk_hostile ROOT NAME PHASE MODE TEXT [EXTRA-MANIFEST-YAML] [EXPECT]
mk_hostile() {
	local root=$1 name=$2 phase=$3 mode=$4 text=$5 extra=${6:-} expect=${7:-}
	local d="$root/etc/leapp/repos.d/test/actors/$name"
	mkdir -p "$d"
	{
		echo "name: $name"
		echo "description: hostile actor $name ($mode)"
		echo "phase: $phase"
		echo "exec: $HOSTILE"
		echo "consumes: []"
		echo "produces: [TestValue]"
		case "$extra" in *timeout:*) ;; *) echo "timeout: 20" ;; esac
		[ -n "$extra" ] && printf '%s\n' "$extra"
		echo "config:"
		echo "  section: h_$name"
		echo "  fields:"
		echo "    mode: {type: string, default: $mode}"
		echo "    text: {type: string, default: '$text'}"
		echo "    expect: {type: string, default: '$expect'}"
		echo "    n: {type: integer, default: 0}"
	} >"$d/actor.yaml"
}

# tree_hash DIR: one hash over every path below DIR (submounts included), its type, mode, owner,
# size, mtime, link target and content; leapp's own directories are left out.
tree_hash() {
	(
		cd "$1" || exit 1
		find . \( -path ./var/lib/leapp -o -path ./var/log/leapp \) -prune -o -printf '%p %y %m %U:%G %s %T@ %l\n' | sort
		find . \( -path ./var/lib/leapp -o -path ./var/log/leapp \) -prune -o -type f -print0 | sort -z | xargs -0 -r sha256sum
	) | sha256sum | cut -d' ' -f1
}

# errors_of ROOT ACTOR: the number of error entries (group "error") recorded for the actor
errors_of() {
	db "$1" "select count(*) from report_entries e join actor_runs r on r.id = e.run where r.actor = '$2' and r.execution = (select max(id) from executions)
		and exists (select 1 from json_each(e.entry, '\$.groups') where value = 'error')"
}

# error_title ROOT ACTOR: the title of its error entry
error_title() {
	db "$1" "select e.title from report_entries e join actor_runs r on r.id = e.run where r.actor = '$2' and r.execution = (select max(id) from executions)
		and exists (select 1 from json_each(e.entry, '\$.groups') where value = 'error')"
}

# check_hostile ROOT ACTOR CAUSE: exactly one error entry for ACTOR, naming CAUSE, and nothing escaped
check_hostile() {
	local root=$1 a=$2 cause=$3 n title
	n=$(errors_of "$root" "$a")
	t_eq "$a: exactly one error entry" 1 "$n"
	title=$(error_title "$root" "$a")
	case "$title" in
		*"$cause"*) t_ok "$a: the entry names the cause ($cause)" ;;
		*) t_fail "$a: the entry names the cause" "title: $title" "expected: $cause" ;;
	esac
	local esc
	esc=$(db "$root" "select message from logs l join actor_runs r on r.id = l.run where r.actor = '$a' and message like 'ESCAPED:%'
		and r.execution = (select max(id) from executions)")
	t_eq "$a: nothing escaped" "" "$esc"
}

# produced_by ROOT ACTOR: the texts the hostile actor produced (it logs each one), in order
produced_by() {
	db "$1" "select substr(message, 11) from logs l join actor_runs r on r.id = l.run where r.actor = '$2'
		and message like 'produced: %' and r.execution = (select max(id) from executions) order by l.id"
}

# committed_count ROOT ACTOR: the number of stored messages of ACTOR's committed run
committed_count() {
	db "$1" "select count(*) from messages m join actor_runs r on r.id = m.run where r.actor = '$2' and r.committed = 1
		and r.execution = (select max(id) from executions)"
}

# no_leftovers NAME: no process of the run and no cgroup of any broker are left
no_leftovers() {
	local procs
	procs=$(pgrep -f "$HOSTILE" || true)
	t_eq "$1: no actor process is left" "" "$procs"
	local cg
	# (a broker of another test that ends meanwhile removes its own before its pid goes: the
	# directory is looked at again once the pid is gone; the memory cgroups of other sessions'
	# brokers, below their own memory cgroups, are theirs to clean)
	local own_mem
	own_mem=/sys/fs/cgroup/memory$(awk -F: '$2 == "memory" {print $3}' /proc/self/cgroup)
	local all
	all=$(find /sys/fs/cgroup -maxdepth 6 -name 'leapp-*' -type d 2>/dev/null)
	cg=$(while read -r d; do
		[ -n "$d" ] || continue
		pid=${d##*/leapp-}; pid=${pid%-devices}
		# a broker whose memory cgroup lies in another session's belongs to that session
		other=$(grep "^/sys/fs/cgroup/memory/.*/leapp-$pid\$" <<<"$all" | grep -v "^${own_mem%/}/leapp-$pid\$" || true)
		[ -z "$other" ] || continue
		[ -d "/proc/$pid" ] || { [ -d "$d" ] && echo "$d"; }; done <<<"$all")
	t_eq "$1: no cgroup of a finished broker is left" "" "$cg"
}

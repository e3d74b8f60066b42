# Shared helpers for shell tests: TAP-like "ok"/"not ok" lines that tests/run-tests counts.
# Source it from a test script: . "$(dirname "$0")/../lib.sh" (adjust the path).

T_TOP=$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")/.." && pwd)
T_BUILD=${T_BUILD:-$T_TOP/build}
T_LEAPP=${T_LEAPP:-$T_BUILD/leapp}
T_FAILS=0
T_COUNT=0

# t_ok NAME: record a passed check.
t_ok() { T_COUNT=$((T_COUNT + 1)); echo "ok - $*"; }

# t_fail NAME [DETAIL...]: record a failed check, with details on stderr-safe lines.
t_fail() {
	T_COUNT=$((T_COUNT + 1)); T_FAILS=$((T_FAILS + 1))
	echo "not ok - $1"; shift
	for l in "$@"; do echo "#   $l"; done
	return 1 # so that `t_eq ... || show-more` shows more
}

# t_check NAME CMD...: run CMD; ok when it exits 0.
t_check() {
	local name=$1; shift
	local out
	if out=$("$@" 2>&1); then t_ok "$name"; else t_fail "$name" "command: $*" "$(printf '%s' "$out" | tail -n 20)"; fi
}

# t_eq NAME EXPECTED ACTUAL
t_eq() {
	if [ "$2" = "$3" ]; then t_ok "$1"; else t_fail "$1" "expected: $2" "actual:   $3"; fi
}

# One scratch parent per test file, made here in the test's own shell, so that t_tmpdir works
# from command substitutions (subshells) and everything is removed when the test exits.
T_SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/leapp-test.XXXXXX")
trap 't_cleanup' EXIT

# t_tmpdir: a scratch directory removed when the test exits.
t_tmpdir() {
	mktemp -d "$T_SCRATCH/d.XXXXXX"
}

t_cleanup() {
	[ -n "${T_CLEANUP_HOOK:-}" ] && eval "$T_CLEANUP_HOOK"
	local d
	# T_TMPDIRS: directories a test library registered itself (older style)
	for d in "$T_SCRATCH" ${T_TMPDIRS:-}; do
		[ -d "$d" ] || continue
		# unmount anything a test left mounted below it, deepest first
		awk -v d="$d" 'index($2, d) == 1 {print $2}' /proc/self/mounts 2>/dev/null | sort -r | while read -r m; do
			umount -l "$m" 2>/dev/null
		done
		rm -rf "$d"
	done
	return 0
}

# t_done: print the per-file summary and exit non-zero on any failure.
t_done() {
	if [ "$T_COUNT" -eq 0 ]; then t_fail "the test file ran no check"; fi
	echo "# $T_COUNT checks, $T_FAILS failed"
	[ "$T_FAILS" -eq 0 ]
}

# t_pid_dead PID: true when the process is gone or a zombie (this machine's PID 1 may reap
# orphans late; a zombie has already died).
t_pid_dead() {
	local st
	st=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 0
	[ -z "$st" ] || [ "$st" = Z ] || [ "$st" = X ]
}

# t_rpmdb_writable ROOT: an el8 tree keeps a BerkeleyDB rpmdb, which Debian's rpm only reads
# (bdb_ro); before a test changes it with rpm (as el8's own rpm would), rewrite it in sqlite
# with rpm --rebuilddb, as the upgrade does before its transaction. Same packages, same headers.
t_rpmdb_writable() {
	[ -e "$1/var/lib/rpm/Packages" ] || return 0
	rpm --root "$1" --dbpath /var/lib/rpm --define "_dbpath /var/lib/rpm" --define "_db_backend sqlite" \
		--rebuilddb 2>/dev/null
}

# t_key SEVERITY TITLE: the key leapp computes for a report entry that sets none,
# sha1("<severity>:sysadmin:<title>") (DESIGN §4)
t_key() { printf '%s' "$1:sysadmin:$2" | sha1sum | cut -d' ' -f1; }
. "$T_TOP/tests/keys.sh"

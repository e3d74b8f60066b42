# Helpers for the synthetic-system tests (tests/sysroot/test-*.sh); sourced after tests/lib.sh.
# The builds use the shared cache (build/sysroot-cache, or $MKSYSROOT_CACHE), so a rerun
# only assembles trees.

SR_MK="$T_TOP/scripts/mksysroot"
SR_PY=/usr/bin/python3

# sr_build SPEC OUTDIR [args...]: build quietly; the log goes to OUTDIR.log
sr_build() {
	local spec=$1 out=$2; shift 2
	"$SR_MK" -q "$@" "$spec" "$out" >"$out.log" 2>&1
}

# sr_rpm ROOT ARGS...: rpm against a tree's rpmdb (Debian's rpm warns about alien; drop it).
# An el8 tree's BerkeleyDB rpmdb is read through bdb_ro, named so that rpm does not warn that
# it found one while looking for sqlite; bdb_ro cannot write (see sr_rebuilddb).
sr_rpm() {
	local root=$1; shift
	local be=()
	[ -e "$root/var/lib/rpm/Packages" ] && be=(--define "_db_backend bdb_ro")
	rpm --root "$root" --dbpath /var/lib/rpm --define "_dbpath /var/lib/rpm" "${be[@]}" "$@" 2> >(grep -v -e 'use Alien instead' -e 'assuming you know what you are doing' >&2)
}

# sr_rebuilddb ROOT: rewrite a BerkeleyDB rpmdb in sqlite with rpm --rebuilddb, as the upgrade
# does before the el9 transaction (upstream: `rpmdb --rebuilddb` by the target's rpm)
sr_rebuilddb() {
	rpm --root "$1" --dbpath /var/lib/rpm --define "_dbpath /var/lib/rpm" --define "_db_backend sqlite" \
		--rebuilddb 2> >(grep -v -e 'Found bdb_ro Packages database' >&2)
}

# sr_json FILE PYEXPR: print a value of a JSON file (the document is 'd')
sr_json() {
	"$SR_PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); v=eval(sys.argv[2]); print(v if not isinstance(v,(list,dict)) else json.dumps(v))' "$1" "$2"
}

# sr_tmpdir: sets $tmp to a scratch directory, removed (and unmounted) when the test exits.
sr_tmpdir() {
	tmp=$(t_tmpdir)
}

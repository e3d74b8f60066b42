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

# sr_rpm ROOT ARGS...: rpm against a tree's rpmdb (Debian's rpm warns about alien; drop it)
sr_rpm() {
	local root=$1; shift
	rpm --root "$root" --dbpath /var/lib/rpm --define "_dbpath /var/lib/rpm" "$@" 2> >(grep -v -e 'use Alien instead' -e 'assuming you know what you are doing' >&2)
}

# sr_json FILE PYEXPR: print a value of a JSON file (the document is 'd')
sr_json() {
	"$SR_PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); v=eval(sys.argv[2]); print(v if not isinstance(v,(list,dict)) else json.dumps(v))' "$1" "$2"
}

# sr_tmpdir: sets $tmp to a scratch directory, removed (and unmounted) when the test exits.
sr_tmpdir() {
	tmp=$(t_tmpdir)
}

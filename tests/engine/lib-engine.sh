# Helpers for engine tests: a test root whose only actors are test actors in repos.d.
# Source after tests/lib.sh.

# the project's own actors are switched off: only the test actors of each root run
E_EMPTY_ACTORS=$(t_tmpdir)
export LEAPP_ACTORS_DIR=$E_EMPTY_ACTORS

# mk_root: a fresh root with the test models; the project's own actors are switched off.
mk_root() {
	local root
	root=$(t_tmpdir)
	mkdir -p "$root/etc/leapp/repos.d/test/models" "$root/etc/leapp/repos.d/test/actors"
	cp "$T_BUILD/tests/models/test.yaml" "$root/etc/leapp/repos.d/test/models/"
	echo "$root"
}

# mk_actor ROOT NAME PHASE MODE CONSUMES PRODUCES [EXTRA-MANIFEST-YAML] [CONFIG-FIELDS-YAML]
#   CONSUMES / PRODUCES: comma-separated model names (may be empty)
mk_actor() {
	local root=$1 name=$2 phase=$3 mode=$4 cons=$5 prod=$6 extra=${7:-} cfg=${8:-}
	local d="$root/etc/leapp/repos.d/test/actors/$name"
	mkdir -p "$d"
	{
		echo "name: $name"
		echo "description: test actor $name ($mode)"
		echo "phase: $phase"
		echo "exec: $T_BUILD/tests/testactor"
		echo "consumes: [${cons}]"
		echo "produces: [${prod}]"
		case "$extra" in *timeout:*) ;; *) echo "timeout: 20" ;; esac
		[ -n "$extra" ] && printf '%s\n' "$extra"
		echo "config:"
		echo "  section: t_$name"
		echo "  fields:"
		echo "    mode: {type: string, default: $mode}"
		echo "    count: {type: integer, default: 1}"
		echo "    ms: {type: integer, default: 100}"
		echo "    text: {type: string, default: ''}"
		echo "    title: {type: string, default: Test report}"
		echo "    severity: {type: string, default: low}"
		[ -n "$cfg" ] && printf '%s\n' "$cfg"
	} >"$d/actor.yaml"
}

# leapp_run ROOT ARGS...: runs build/leapp with --root, output in $E_OUT, exit code in $E_RC
leapp_run() {
	local root=$1; shift
	E_OUT=$("$T_LEAPP" "$@" --root "$root" 2>&1); E_RC=$?
}

# db ROOT SQL: query the audit store
db() { sqlite3 "$1/var/lib/leapp/leapp.db" "$2"; }

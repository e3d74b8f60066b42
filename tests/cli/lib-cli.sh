# Helpers for the command-line tests. Source after tests/lib.sh and tests/engine/lib-engine.sh.

PY=/usr/bin/python3   # Debian's python3, with python3-jsonschema (PATH may hold another one)
SCHEMA_DIR=${SCHEMA_DIR:-$T_TOP/tests/data/leapp-report-schema}   # leapp's published schemas (COPYING)

# new_root: a fresh test root in $ROOT whose only actors are test actors (mk_actor), with the
# test models and its own empty LEAPP_ACTORS_DIR. Call it directly (not in $(...)) so that
# ROOT and the export reach the test's shell.
new_root() {
	ROOT=$(mktemp -d "${TMPDIR:-/tmp}/leapp-cli.XXXXXX")
	T_TMPDIRS="${T_TMPDIRS:-} $ROOT"
	trap 't_cleanup' EXIT
	mkdir -p "$ROOT/etc/leapp/repos.d/test/models" "$ROOT/etc/leapp/repos.d/test/actors" "$ROOT/empty-actors"
	cp "$T_BUILD/tests/models/test.yaml" "$ROOT/etc/leapp/repos.d/test/models/"
	export LEAPP_ACTORS_DIR="$ROOT/empty-actors"
}

# cli ROOT ARGS...: run leapp ARGS --root ROOT; stdout in C_OUT, stderr in C_ERR, exit code in C_RC.
cli() {
	local root=$1; shift
	local errf
	errf=$(mktemp)
	C_OUT=$("$T_LEAPP" "$@" --root "$root" 2>"$errf"); C_RC=$?
	C_ERR=$(cat "$errf"); rm -f "$errf"
}

# cli_noroot ARGS...: the same without --root.
cli_noroot() {
	local errf
	errf=$(mktemp)
	C_OUT=$("$T_LEAPP" "$@" 2>"$errf"); C_RC=$?
	C_ERR=$(cat "$errf"); rm -f "$errf"
}

# t_rc NAME EXPECTED: check C_RC, showing the output when it is wrong.
t_rc() {
	if [ "$C_RC" = "$2" ]; then t_ok "$1"; else t_fail "$1" "exit code $C_RC, expected $2" "stdout: ${C_OUT:0:1500}" "stderr: ${C_ERR:0:1500}"; fi
}

# t_has NAME TEXT NEEDLE / t_hasnt NAME TEXT NEEDLE: substring checks.
t_has() {
	if [[ "$2" == *"$3"* ]]; then t_ok "$1"; else t_fail "$1" "missing: $3" "in: ${2:0:2000}"; fi
}
t_hasnt() {
	if [[ "$2" != *"$3"* ]]; then t_ok "$1"; else t_fail "$1" "unexpected: $3" "in: ${2:0:2000}"; fi
}

# t_py NAME SCRIPT [ARGS...]: run a python check; ok when it exits 0, its output is the detail.
t_py() {
	local name=$1 script=$2; shift 2
	local out
	if out=$("$PY" -c "$script" "$@" 2>&1); then t_ok "$name"; else t_fail "$name" "$out"; fi
}

# schema_errors FILE VERSION: print the validation errors of a report file (none: valid).
schema_errors() {
	"$PY" - "$1" "$SCHEMA_DIR/report-schema-v$(echo "$2" | tr -d .).json" <<'EOF'
import json, sys, jsonschema
doc = json.load(open(sys.argv[1]))
schema = json.load(open(sys.argv[2]))
errs = sorted(jsonschema.Draft7Validator(schema).iter_errors(doc), key=lambda e: list(e.absolute_path))
for e in errs:
    print("%s: %s" % ("/".join(str(p) for p in e.absolute_path), e.message[:300]))
sys.exit(1 if errs else 0)
EOF
}

# t_schema NAME FILE VERSION: the report file validates against report-schema VERSION.
t_schema() {
	local out
	if out=$(schema_errors "$2" "$3"); then t_ok "$1"; else t_fail "$1" "$out"; fi
}

# json_get FILE EXPR: evaluate a python expression on the JSON document d.
json_get() {
	"$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

# set_cfg ROOT ACTOR KEY VALUE: change the default of a test actor's config key (mode, count,
# title, severity, ...) in its manifest.
set_cfg() {
	sed -i -E "s|^    $3: \{type: ([a-z]+), default: .*\}|    $3: {type: \1, default: $4}|" \
		"$1/etc/leapp/repos.d/test/actors/$2/actor.yaml"
	grep -q "^    $3: {type: [a-z]*, default: $4}" "$1/etc/leapp/repos.d/test/actors/$2/actor.yaml" ||
		echo "set_cfg: $2 has no config key $3" >&2
}

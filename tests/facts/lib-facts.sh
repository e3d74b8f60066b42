# Helpers for the fact, check and application actor tests (issue 6) and the synthetic-system
# tests in tests/facts. Source after tests/lib.sh.

F_ACTORS=$T_BUILD/share/leapp/actors
export LEAPP_DATADIR=$T_BUILD/share/leapp
# a sanitizer build's actors must not trip on the interpreter's leaks of the test tools
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}

# f_tmpdir: a scratch directory in $F_DIR, removed at exit. (t_tmpdir cannot be used as
# $(t_tmpdir): its EXIT trap runs in the command substitution's subshell and removes the
# directory at once.)
f_tmpdir() {
	F_DIR=$(mktemp -d "${TMPDIR:-/tmp}/leapp-facts.XXXXXX")
	T_TMPDIRS="${T_TMPDIRS:-} $F_DIR"
	trap 't_cleanup' EXIT
}

# run_actor NAME ROOT [INPUT.json]: run an actor standalone; its JSON output goes to $A_OUT,
# its exit code to $A_RC, its stderr to $A_ERR.
run_actor() {
	local name=$1 root=$2 input=${3:-} errf
	if [ -z "${A_TMP:-}" ]; then
		A_TMP=$(mktemp -d "${TMPDIR:-/tmp}/leapp-facts.XXXXXX")
		T_TMPDIRS="${T_TMPDIRS:-} $A_TMP"
		trap 't_cleanup' EXIT
	fi
	errf=$A_TMP/stderr
	if [ -z "$input" ]; then
		input=$A_TMP/in.json
		echo '{}' >"$input"
	fi
	A_OUT=$("$F_ACTORS/$name/$name" --root "$root" --input "$input" 2>"$errf")
	A_RC=$?
	A_ERR=$(cat "$errf")
}

# leapp_actor_run NAME ROOT INPUT.json [OPTION...]: `leapp actor run`, sandboxed as in the actor's
# phase; the JSON it prints goes to $A_OUT (msg, report_keys... read it as for run_actor), its
# exit code to $A_RC, its stderr to $A_ERR.
leapp_actor_run() {
	local name=$1 root=$2 input=$3 errf
	shift 3
	errf=$(mktemp "${TMPDIR:-/tmp}/leapp-actor-run.XXXXXX")
	A_OUT=$("$T_LEAPP" actor run "$name" --root "$root" --input "$input" "$@" 2>"$errf")
	A_RC=$?
	A_ERR=$(cat "$errf")
	rm -f "$errf"
}
# a_errors: the titles and summaries of the errors the actor reported, one a line
a_errors() { printf '%s' "$A_OUT" | jq -r '.errors[] | "\(.title): \(.summary)"' 2>/dev/null; }
# a_logs LEVEL: the actor's log lines of that level
a_logs() { printf '%s' "$A_OUT" | jq -r --arg l "$1" '.logs[] | select(.level == $l) | .message' 2>/dev/null; }

# msg MODEL JQ-FILTER: apply a jq filter to the data of the last MODEL message in $A_OUT
msg() { printf '%s' "$A_OUT" | jq -c --arg m "$1" "[.messages[] | select(.model == \$m)] | last | .data | $2"; }
# msgr: the same, raw strings
msgr() { printf '%s' "$A_OUT" | jq -r --arg m "$1" "[.messages[] | select(.model == \$m)] | last | .data | $2"; }
# report_keys: the sorted keys of the reports in $A_OUT, space-separated
report_keys() { printf '%s' "$A_OUT" | jq -r '[.reports[].key] | sort | join(" ")'; }
# report KEY JQ-FILTER: a field of the report with that key
report() { printf '%s' "$A_OUT" | jq -r --arg k "$1" "[.reports[] | select(.key == \$k)] | last | $2"; }
# inhibitor_keys: the keys of the inhibitor reports
inhibitor_keys() { printf '%s' "$A_OUT" | jq -r '[.reports[] | select(.groups | index("inhibitor")) | .key] | sort | join(" ")'; }

# ipu SRC_VERSION TGT_VERSION [ARCH] [DISTRO]: an IPUConfig object
ipu() {
	local s=$1 t=$2 a=${3:-x86_64} d=${4:-almalinux}
	printf '{"source_distro":"%s","source_version":"%s","source_major":%s,"target_distro":"%s","target_version":"%s","target_major":%s,"architecture":"%s"}' \
		"$d" "$s" "${s%%.*}" "$d" "$t" "${t%%.*}" "$a"
}

# mk_input FILE WORKFLOW-JSON [MODEL DATA-JSON]...: write a standalone input file
mk_input() {
	local f=$1 wf=$2 msgs="" sep=""
	shift 2
	while [ $# -ge 2 ]; do
		msgs="$msgs$sep{\"model\":\"$1\",\"data\":$2}"
		sep=","
		shift 2
	done
	printf '{"workflow":%s,"messages":[%s]}\n' "$wf" "$msgs" >"$f"
}

# chain_input FILE WORKFLOW-JSON: an input file holding the messages of $A_OUT
chain_input() {
	printf '%s' "$A_OUT" | jq -c --argjson wf "$2" '{workflow: $wf, messages: .messages}' >"$1"
}

# sysroot SPEC: build a synthetic system with scripts/mksysroot (cached in build/sysroot-cache)
# into a scratch directory; the OUTDIR is in $SR (root: $SR/root). Returns non-zero on failure.
sysroot() {
	f_tmpdir
	SR=$F_DIR/sr
	"$T_TOP/scripts/mksysroot" "$1" "$SR" >"$F_DIR/mksysroot.log" 2>&1 || {
		tail -5 "$F_DIR/mksysroot.log"
		return 1
	}
}

# tree_hash DIR: one digest of the whole tree (every entry's path, type, mode, owner; a
# file's size, mtime and content; a symlink's target), leaving out leapp's own directories
# var/lib/leapp and var/log/leapp. A directory's mtime is left out, because creating those
# two changes their parents' mtimes; their names are in the listing.
tree_hash() {
	/usr/bin/python3 - "$1" <<'PY'
import hashlib, os, stat, sys
top = os.path.abspath(sys.argv[1])
skip = {"var/lib/leapp", "var/log/leapp"}
h = hashlib.sha256()
for dirpath, dirnames, filenames in os.walk(top):
    rel = os.path.relpath(dirpath, top)
    dirnames[:] = sorted(d for d in dirnames if os.path.normpath(os.path.join(rel, d)) not in skip)
    for name in sorted(dirnames + filenames):
        p = os.path.join(dirpath, name)
        r = os.path.normpath(os.path.join(rel, name))
        st = os.lstat(p)
        line = "%s %o %d:%d" % (r, st.st_mode, st.st_uid, st.st_gid)
        if stat.S_ISLNK(st.st_mode):
            line += " -> " + os.readlink(p)
        elif stat.S_ISREG(st.st_mode):
            with open(p, "rb") as f:
                line += " %d %d %s" % (st.st_size, st.st_mtime_ns, hashlib.sha256(f.read()).hexdigest())
        h.update(line.encode() + b"\n")
print(h.hexdigest())
PY
}

# validate_report FILE: check leapp-report.json against the 1.2.0 schema
validate_report() {
	local schema=$T_TOP/tests/data/leapp-report-schema/report-schema-v120.json
	/usr/bin/python3 - "$1" "$schema" <<'PY'
import json, sys
import jsonschema
report = json.load(open(sys.argv[1]))
schema = json.load(open(sys.argv[2]))
jsonschema.validate(report, schema)
print("valid: %d entries" % len(report["entries"]))
PY
}

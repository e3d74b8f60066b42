# Helpers for the download, signature, transaction-test and target-userspace tests (issue 8; in
# tests/download and beside the actors and domains they test: actors/*/tests, actors/lib/rpm/tests);
# source after tests/lib.sh. Systems come from scripts/mksysroot; `leapp upgrade` runs with the
# planner's chain, the issue's actors and two test actors only (LEAPP_ACTORS_DIR), so that the
# workflow ends at InterimPreparation's reboot request whatever the later issues' actors do.

. "$T_TOP/tests/facts/lib-facts.sh"   # tree_hash
export LEAPP_DATADIR=$T_BUILD/share/leapp
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
D_ACTORS_SRC=$T_BUILD/share/leapp/actors
D_CHAIN="ipu_workflow_config rpm_scanner repositories_scanner module_stream_facts repositories_mapping
pes_events_scanner target_repositories transaction_planner check_planned_transaction check_rpmdb_unchanged
target_gpg_keys check_target_userspace_tasks download_packages rpm_transaction_test target_userspace_creator"
D_MODELS="PlannedTransaction TargetGpgKeys DownloadedPackages TransactionTestResult TargetUserSpaceInfo TargetRepositories"

# d_init: $D_DIR (removed at exit), $D_DIR/actors with the chain and the test actors:
#   test_userspace_tasks (FactsCollection) asks for $LEAPP_TEST_USERSPACE_PACKAGES (default
#     kernel-core) in the target userspace;
#   test_probe (FirstBoot, never reached) is run with `leapp actor run --from-last-run` to write
#     the last run's messages to its scratch directory (d_msg).
d_init() {
	D_DIR=$(mktemp -d "${TMPDIR:-/tmp}/leapp-dl.XXXXXX")
	T_TMPDIRS="${T_TMPDIRS:-} $D_DIR"
	T_CLEANUP_HOOK='d_cleanup'
	trap 't_cleanup' EXIT
	mkdir -p "$D_DIR/actors"
	local a
	for a in $D_CHAIN; do ln -s "$D_ACTORS_SRC/$a" "$D_DIR/actors/$a"; done
	mkdir -p "$D_DIR/actors/test_userspace_tasks" "$D_DIR/actors/test_probe"
	cat >"$D_DIR/actors/test_userspace_tasks/actor.yaml" <<'YAML'
name: test_userspace_tasks
description: ask for packages in the target userspace (download tests)
phase: FactsCollection
produces: [TargetUserSpaceTasks]
exec: run.sh
YAML
	cat >"$D_DIR/actors/test_userspace_tasks/run.sh" <<'SH'
#!/bin/sh
set -e
eval "$(leapp-msg init "$@")"
json=""
for p in ${LEAPP_TEST_USERSPACE_PACKAGES-kernel-core}; do json="$json${json:+, }\"$p\""; done
leapp-msg produce TargetUserSpaceTasks "{\"packages\": [$json], \"reason\": \"the download tests ask for it\", \"requester\": \"test_userspace_tasks\"}"
leapp-msg done
SH
	cat >"$D_DIR/actors/test_probe/actor.yaml" <<YAML
name: test_probe
description: write the messages of the last run to the scratch directory (download tests)
phase: FirstBoot
consumes: [$(echo $D_MODELS | sed 's/ /, /g')]
exec: run.sh
YAML
	cat >"$D_DIR/actors/test_probe/run.sh" <<SH
#!/bin/sh
set -e
eval "\$(leapp-msg init "\$@")"
dir=\$(leapp-msg get scratch)
for m in $D_MODELS; do leapp-msg messages \$m >"\$dir/\$m.json"; done
leapp-msg done
SH
	chmod +x "$D_DIR/actors/test_userspace_tasks/run.sh" "$D_DIR/actors/test_probe/run.sh"
}

D_PIDS=""
d_cleanup() {
	local p
	for p in $D_PIDS; do kill "$p" 2>/dev/null; done
	for p in $D_PIDS; do wait "$p" 2>/dev/null; done
	return 0
}

# d_sysroot SPEC NAME: build SPEC into $D_DIR/NAME (root: $D_DIR/NAME/root)
d_sysroot() {
	"$T_TOP/scripts/mksysroot" -q "$1" "$D_DIR/$2" >"$D_DIR/$2.mksysroot.log" 2>&1 || {
		tail -5 "$D_DIR/$2.mksysroot.log"
		return 1
	}
}

# d_root NAME: the root of NAME
d_root() { echo "$D_DIR/$1/root"; }

# d_leapp NAME COMMAND [options...]: leapp COMMAND --root on NAME with the test chain; exit code
# in $D_RC, console in $D_DIR/NAME.out
d_leapp() {
	local name=$1 cmd=$2
	shift 2
	LEAPP_ACTORS_DIR=$D_DIR/actors "$T_LEAPP" "$cmd" --root "$(d_root "$name")" "$@" >"$D_DIR/$name.out" 2>&1
	D_RC=$?
}

# d_actor NAME ACTOR [leapp actor run options...]: run one actor sandboxed as in its phase; its
# JSON output in $D_DIR/NAME.actor.json, exit code in $D_RC
d_actor() {
	local name=$1 actor=$2
	shift 2
	LEAPP_ACTORS_DIR=$D_DIR/actors "$T_LEAPP" actor run "$actor" --root "$(d_root "$name")" "$@" \
		>"$D_DIR/$name.actor.json" 2>"$D_DIR/$name.actor.err"
	D_RC=$?
}

# d_probe NAME: dump the last run's messages of NAME (then d_msg reads them)
d_probe() {
	d_actor "$1" test_probe --from-last-run
}

# d_msg NAME MODEL JQ: a jq filter on the data of the last MODEL message of NAME's last run
# (after d_probe NAME); "null" when there is none
d_msg() {
	local f
	f=$(d_root "$1")/var/lib/leapp/scratch/test_probe/$2.json
	[ -s "$f" ] || { echo null; return; }
	jq -c "last | if . == null then null else $3 end" "$f"
}
d_msgr() {
	local f
	f=$(d_root "$1")/var/lib/leapp/scratch/test_probe/$2.json
	[ -s "$f" ] || { echo null; return; }
	jq -r "last | if . == null then null else $3 end" "$f"
}

# d_report NAME: the path of NAME's leapp-report.json; d_inhibitors NAME: its inhibitor keys
d_report() { echo "$(d_root "$1")/var/log/leapp/leapp-report.json"; }
d_inhibitors() { jq -r '[.entries[] | select(.groups | index("inhibitor")) | .key] | sort | join(" ")' "$(d_report "$1")"; }
# d_entry NAME KEY-PREFIX JQ: a field of the first report entry whose key starts with KEY-PREFIX
d_entry() { jq -r --arg k "$2" "[.entries[] | select(.key | startswith(\$k))] | first | $3" "$(d_report "$1")"; }

# d_show NAME: the tail of the console, for failure details
d_show() { tail -n 25 "$D_DIR/$1.out"; }

# d_input NAME FILE [jq filter on the PlannedTransaction data]: an input file for `leapp actor run`
# with NAME's PlannedTransaction and TargetGpgKeys from its last run (after d_probe NAME)
d_input() {
	local root
	root=$(d_root "$1")/var/lib/leapp/scratch/test_probe
	jq -n --slurpfile p "$root/PlannedTransaction.json" --slurpfile k "$root/TargetGpgKeys.json" \
		"{messages: [{model: \"PlannedTransaction\", data: (\$p[0] | last | ${3:-.})},
		             {model: \"TargetGpgKeys\", data: (\$k[0] | last)}]}" >"$2"
}

# d_httpd NAME DIR [httpd.py options...]: start tests/download/httpd.py on DIR; its port in
# $D_PORT; stopped at exit
d_httpd() {
	local name=$1 dir=$2 pf
	shift 2
	pf=$D_DIR/$name.port
	rm -f "$pf"
	/usr/bin/python3 "$T_TOP/tests/download/httpd.py" --dir "$dir" --port-file "$pf" --log "$D_DIR/$name.httpd.log" "$@" &
	D_PIDS="$D_PIDS $!"
	local i
	for i in $(seq 100); do [ -s "$pf" ] && break; sleep 0.05; done
	D_PORT=$(cat "$pf")
}

# d_parts DIR: the *.part files below DIR (one per line)
d_parts() { find "$1" -name '*.part' 2>/dev/null; }

# d_sha256 FILE
d_sha256() { sha256sum "$1" | cut -d' ' -f1; }

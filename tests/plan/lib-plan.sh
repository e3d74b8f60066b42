# Helpers for the planned-transaction tests (tests/plan/test-*.sh, and the planner's, replan's and
# check_rpmdb_unchanged's tests beside them: actors/*/tests, actors/lib/plan/tests); source after tests/lib.sh.
# Synthetic systems come from scripts/mksysroot (cached in build/sysroot-cache); the plan is
# computed by `leapp preupgrade --root`, with either every actor or only the planner's chain.

export LEAPP_DATADIR=$T_BUILD/share/leapp
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
P_ACTORS_SRC=$T_BUILD/share/leapp/actors
# the facts the plan needs (issue 6) and the planner's actors
P_CHAIN="ipu_workflow_config rpm_scanner repositories_scanner module_stream_facts repositories_mapping
pes_events_scanner target_repositories transaction_planner check_planned_transaction check_rpmdb_unchanged"

# p_init: $P_DIR, a scratch directory removed at exit (not $(...): see f_tmpdir in tests/facts)
p_init() {
	P_DIR=$(mktemp -d "${TMPDIR:-/tmp}/leapp-plan.XXXXXX")
	T_TMPDIRS="${T_TMPDIRS:-} $P_DIR"
	trap 't_cleanup' EXIT
	mkdir -p "$P_DIR/actors"
	local a
	for a in $P_CHAIN; do ln -s "$P_ACTORS_SRC/$a" "$P_DIR/actors/$a"; done
}

# p_sysroot SPEC NAME: build scripts/sysroot/specs/SPEC.yaml into $P_DIR/NAME (root: NAME/root)
p_sysroot() {
	"$T_TOP/scripts/mksysroot" -q "$T_TOP/scripts/sysroot/specs/$1.yaml" "$P_DIR/$2" >"$P_DIR/$2.log" 2>&1 || {
		tail -5 "$P_DIR/$2.log"
		return 1
	}
}

# p_plan_minimal: p_init, then the minimal system as m, planned by the planner's chain (a check;
# the test ends at once when mksysroot fails); R is its root. For the planner's actors' own tests.
p_plan_minimal() {
	p_init
	p_sysroot minimal m || { t_fail "mksysroot minimal"; t_done; exit 1; }
	p_preupgrade m
	t_eq "the planner's chain plans the minimal system" 0 "$P_RC" "$(p_show m)"
	R=$P_DIR/m/root
}

# p_planned NAME: the PlannedTransaction data (JSON) transaction_planner makes again from NAME's
# last run, for an actor's --input
p_planned() {
	"$T_LEAPP" actor run transaction_planner --root "$P_DIR/$1/root" --from-last-run 2>/dev/null |
		jq -c '[.messages[] | select(.model == "PlannedTransaction")] | last | .data'
}

# p_copy FROM TO: a copy of a built system (cheaper than building again)
p_copy() { cp -a "$P_DIR/$1" "$P_DIR/$2"; }

# p_preupgrade NAME [leapp options...]: leapp preupgrade on NAME/root with the planner's chain
# only; exit code in $P_RC, console in $P_DIR/NAME.out
p_preupgrade() {
	local name=$1; shift
	LEAPP_ACTORS_DIR=$P_DIR/actors "$T_LEAPP" preupgrade --root "$P_DIR/$name/root" "$@" >"$P_DIR/$name.out" 2>&1
	P_RC=$?
}

# p_preupgrade_all NAME [options...]: the same with every actor of the project
p_preupgrade_all() {
	local name=$1; shift
	"$T_LEAPP" preupgrade --root "$P_DIR/$name/root" "$@" >"$P_DIR/$name.out" 2>&1
	P_RC=$?
}

# p_plan NAME: the path of NAME's transaction.json
p_plan() { echo "$P_DIR/$1/root/var/log/leapp/transaction.json"; }
# p_report NAME: the path of NAME's leapp-report.json
p_report() { echo "$P_DIR/$1/root/var/log/leapp/leapp-report.json"; }

# p_item NAME PKG ACTION: "action repo reason" of the transaction item of PKG with ACTION (or kept)
p_item() {
	jq -r --arg n "$2" --arg a "$3" '[(.transaction + .kept)[] | select(.name == $n and .action == $a)] | first |
		if . == null then "none" else "\(.action) \(.repo) \(.reason)" end' "$(p_plan "$1")"
}

# p_report_keys NAME: the sorted keys of the report entries
p_report_keys() { jq -r '[.entries[].key] | sort | join(" ")' "$(p_report "$1")"; }
# p_inhibitors NAME: the keys of the inhibitors
p_inhibitors() { jq -r '[.entries[] | select(.groups | index("inhibitor")) | .key] | sort | join(" ")' "$(p_report "$1")"; }
# p_entry NAME KEY JQ: a field of the report entry with KEY
p_entry() { jq -r --arg k "$2" "[.entries[] | select(.key == \$k)] | first | $3" "$(p_report "$1")"; }

# p_treesum NAME: the tree of NAME/root without leapp's own directories
p_treesum() {
	/usr/bin/python3 "$T_TOP/scripts/sysroot/treesum" --exclude var/lib/leapp --exclude var/log/leapp "$P_DIR/$1/root"
}

# p_show NAME: the console output, for failure details
p_show() { tail -n 30 "$P_DIR/$1.out"; }

#!/bin/bash
# Acceptance: each inhibitor spec of scripts/sysroot/specs gives its inhibitor (the keys of
# the spec's expected.inhibitors) and exit code 3; the run skips the TargetTransaction phases
# (leapp's checkskipphase), the report validates, and the tree is unchanged.
. "$(dirname "$0")/../lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"

SPECS="inhibit-lowmem inhibit-nopath inhibit-nfs inhibit-oldkernel inhibit-cpu inhibit-driver inhibit-bootspace"
for spec in $SPECS; do
	sysroot "$spec" || { t_fail "$spec: mksysroot"; continue; }
	R=$SR/root
	if [ "$spec" = inhibit-bootspace ]; then
		"$T_TOP/scripts/mksysroot" --mount "$SR" >/dev/null || { t_fail "$spec: mksysroot --mount"; continue; }
		T_CLEANUP_HOOK="$T_TOP/scripts/mksysroot --umount $SR >/dev/null 2>&1"
	fi
	h0=$(tree_hash "$R")
	OUT=$("$T_LEAPP" preupgrade --root "$R" 2>&1); RC=$?
	REP=$R/var/log/leapp/leapp-report.json
	t_eq "$spec: exit code 3" 3 "$RC"
	got=$(jq -r '[.entries[] | select(.groups | index("inhibitor")) | .key] | sort | join(" ")' "$REP")
	for k in $(jq -r '.expected.inhibitors[]' "$SR/manifest.json"); do
		t_check "$spec: inhibitor $k (got: $got)" grep -qw -- "$(k_spec "$k")" <<<"$got"
	done
	for k in $got; do
		rem=$(jq -r --arg k "$k" '[.entries[] | select(.key == $k) | .detail.remediations[]?] | length' "$REP")
		t_check "$spec: inhibitor $k has a remediation" test "$rem" -gt 0
	done
	t_check "$spec: TargetTransaction phases skipped" bash -c '! grep -q "Processing phase .TargetTransaction" <<<"$1"' _ "$OUT"
	t_eq "$spec: no planner run" "0" "$(sqlite3 "$R/var/lib/leapp/leapp.db" "select count(*) from actor_runs where phase like 'TargetTransaction%'")"
	t_check "$spec: report validates" validate_report "$REP"
	t_eq "$spec: tree unchanged" "$h0" "$(tree_hash "$R")"
	if [ "$spec" = inhibit-bootspace ]; then
		"$T_TOP/scripts/mksysroot" --umount "$SR" >/dev/null
		T_CLEANUP_HOOK=
	fi
done
t_done

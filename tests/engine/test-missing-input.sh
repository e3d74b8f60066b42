#!/bin/bash
# An actor run alone for debugging says which input it asked for and did not get (issue 15
# item 4), instead of printing an empty result that reads as "all is well"; in a workflow a
# missing input is an ordinary fact and nothing is said.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-engine.sh"

CM=$T_BUILD/share/leapp/actors/check_memory/check_memory
tmp=$(t_tmpdir)
export TMPDIR=$tmp
mem='{"model": "MemoryInfo", "data": {"mem_total_kib": 409600, "swap_total_kib": 0}}'
ipu='{"source_distro": "almalinux", "source_version": "8.10", "source_major": 8, "target_distro": "almalinux",
      "target_version": "9.4", "target_major": 9, "architecture": "x86_64", "kernel": "4.18.0"}'

# standalone, JSON in and out
out=$(echo "{\"messages\": [$mem]}" | "$CM" 2>"$tmp/err"); rc=$?
t_eq "standalone without IPUConfig: exit 0" 0 "$rc"
t_check "standalone: stderr names the missing model" grep -q "missing input: no IPUConfig message was given" "$tmp/err"
t_eq "standalone: the JSON log carries the warning" 1 \
	"$(printf '%s' "$out" | jq '[.logs[] | select(.level == "warning" and (.message | contains("IPUConfig")))] | length')"
t_eq "standalone: no report without the configuration" 0 "$(printf '%s' "$out" | jq '.reports | length')"

out=$(echo "{\"messages\": [$mem], \"workflow\": $ipu}" | "$CM" 2>"$tmp/err")
t_eq "standalone with the workflow configuration: nothing is missing" "" "$(grep 'missing input' "$tmp/err")"
t_eq "standalone with the workflow configuration: the check ran" 1 "$(printf '%s' "$out" | jq '.reports | length')"
ipumsg="{\"model\": \"IPUConfig\", \"data\": $ipu}"
out=$(echo "{\"messages\": [$mem, $ipumsg]}" | "$CM" 2>"$tmp/err")
t_eq "standalone with an IPUConfig message: nothing is missing" "" "$(grep 'missing input' "$tmp/err")"
t_eq "standalone with an IPUConfig message: the check ran" 1 "$(printf '%s' "$out" | jq '.reports | length')"

# a standalone run removes the scratch directory it made, unless asked to keep it
t_eq "standalone runs left no scratch directory in TMPDIR" "" "$(ls "$tmp" | grep leapp-actor-scratch)"
echo "{\"messages\": [$mem]}" | LEAPP_KEEP_SCRATCH=1 "$CM" >/dev/null 2>"$tmp/err"
kept=$(ls -d "$tmp"/leapp-actor-scratch.* 2>/dev/null)
t_check "LEAPP_KEEP_SCRATCH=1 keeps it and says where" grep -q "the scratch directory is kept: $kept" "$tmp/err"
rm -rf "$kept"

# leapp actor run (the project's actors, an empty root: no earlier run gives a configuration)
root=$(t_tmpdir)
echo "{\"messages\": [$mem]}" >"$tmp/in.json"
out=$(LEAPP_ACTORS_DIR= "$T_LEAPP" actor run check_memory --input "$tmp/in.json" --root "$root" 2>"$tmp/err"); rc=$?
t_eq "leapp actor run without IPUConfig: exit 0" 0 "$rc"
t_check "leapp actor run: stderr names the missing model" grep -q "actor check_memory: missing input: no IPUConfig" "$tmp/err"
t_eq "leapp actor run: the JSON log carries it" 1 \
	"$(printf '%s' "$out" | jq '[.logs[] | select(.message | contains("missing input: no IPUConfig"))] | length')"

# a workflow says nothing about a model nobody produced
root=$(mk_root)
mk_actor "$root" asker FactsCollection ask "" ""
leapp_run "$root" preupgrade
t_eq "workflow: the actor ran" "ok" "$(db "$root" "select status from actor_runs where actor = 'asker'")"
t_eq "workflow: it asked and got nothing" 1 "$(db "$root" "select count(*) from logs where message = 'asked for TestTypes: none'")"
t_eq "workflow: no missing-input warning" 0 "$(db "$root" "select count(*) from logs where message like 'missing input%'")"
t_done

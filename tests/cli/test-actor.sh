#!/bin/bash
# leapp actor list | describe | run (input checked against the consumed models, output as
# JSON, exit codes), leapp list-runs and leapp report.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../engine/lib-engine.sh"
. "$(dirname "$0")/lib-cli.sh"

new_root; root=$ROOT
mk_actor "$root" prod FactsCollection chain "" TestValue
mk_actor "$root" cons Checks chain TestValue TestValue
mk_actor "$root" boom Checks exit3 TestValue ""
mk_actor "$root" xp Checks chain "" TestValue "experimental: true"
mk_actor "$root" early FactsCollection chain "" TestValue "stage: before"
in=$root/in.json

# ---- actor list ----
cli "$root" actor list
t_rc "actor list: exit 0" 0
t_eq "actor list: workflow order (phase, stage, name)" "early prod boom cons xp" \
	"$(printf '%s\n' "$C_OUT" | tail -n +2 | awk '{print $1}' | paste -sd' ')"
t_has "actor list: phase, stage, description" "$C_OUT" "Checks                             main   test actor cons (chain)"
t_has "actor list: experimental actors are marked" "$C_OUT" "test actor xp (chain) [experimental]"
cli "$root" actor list --json
t_rc "actor list --json: exit 0" 0
t_eq "actor list --json: the actors with phase, stage, enabled" "early:FactsCollection:before:True xp:Checks:main:False" \
	"$(printf '%s' "$C_OUT" | "$PY" -c 'import json,sys; a=json.load(sys.stdin); print(" ".join("%s:%s:%s:%s" % (x["name"], x["phase"], x["stage"], x["enabled"]) for x in a if x["name"] in ("early", "xp")))')"
cli "$root" actor list --whitelist-experimental xp --json
t_eq "actor list --whitelist-experimental: enabled" "True" \
	"$(printf '%s' "$C_OUT" | "$PY" -c 'import json,sys; print([x["enabled"] for x in json.load(sys.stdin) if x["name"] == "xp"][0])')"

cli "$root" actor list --whitelist-experimental nosuch
t_rc "actor list --whitelist-experimental of an unknown actor: exit 2" 2

# ---- actor describe ----
cli "$root" actor describe cons
t_rc "actor describe: exit 0" 0
t_py "actor describe: the manifest with the consumed model's fields" '
import json, sys
d = json.loads(sys.argv[1])
assert d["name"] == "cons" and d["phase"] == "Checks" and d["stage"] == "main", d
assert d["consumes"][0]["model"] == "TestValue" and d["consumes"][0]["fields"]["n"]["type"] == "integer", d["consumes"]
assert d["config"]["section"] == "t_cons" and d["config"]["fields"]["mode"]["default"] == "chain", d["config"]
' "$C_OUT"
cli "$root" actor describe nope
t_rc "actor describe of an unknown actor: exit 2" 2
t_has "it names the actor" "$C_ERR" "actor describe: unknown actor 'nope' (see leapp actor list)"

# ---- actor run with --input ----
cat >"$in" <<'EOF'
{"messages": [
  {"model": "TestValue", "data": {"producer": "x", "n": 2}},
  {"model": "TestValue", "data": {"producer": "y", "n": 5, "text": "t"}}
]}
EOF
cli "$root" actor run cons --input "$in"
t_rc "actor run --input: exit 0" 0
t_py "actor run: stdout is one JSON object with what the actor produced" '
import json, sys
d = json.loads(sys.argv[1])
assert d["actor"] == "cons" and d["status"] == "ok", d
assert d["messages"] == [{"model": "TestValue", "data": {"producer": "cons", "n": 8, "text": ""}}], d["messages"]
assert {"level": "debug", "message": "consumed 2 messages, sum 7"} in d["logs"], d["logs"]
assert d["reports"] == [] and d["errors"] == [] and d["dialogs"] == [] and d["commands"] == []
' "$C_OUT"
t_has "the console line is on stderr" "$C_ERR" "====> * cons: test actor cons (chain)"
cli "$root" actor run cons --input "$in" --debug
t_py "with --debug, stdout is still only the JSON" 'import json,sys; json.loads(sys.argv[1])' "$C_OUT"
t_has "with --debug, the actor log is on stderr" "$C_ERR" "cons [debug] consumed 2 messages, sum 7"
cli_noroot actor run --root "$root" --input "$in" cons
t_rc "options before the actor name work too" 0
printf '[{"model": "TestValue", "data": {"producer": "x", "n": 1}}]' >"$root/bare.json"
cli "$root" actor run cons --input "$root/bare.json"
t_eq "a bare list of messages is input too" "2" "$(printf '%s' "$C_OUT" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["messages"][0]["data"]["n"])')"
printf '{"messages": [], "config": {"count": 3, "text": "cfg"}}' >"$root/cfg.json"
cli "$root" actor run cons --input "$root/cfg.json"
t_eq "the input's config overrides the actor's configuration" "3 cfg" \
	"$(printf '%s' "$C_OUT" | "$PY" -c 'import json,sys; m=json.load(sys.stdin)["messages"]; print(len(m), m[0]["data"]["text"])')"
cli "$root" actor run prod
t_rc "actor run without input: exit 0" 0

# ---- bad input: exit 2, file and position ----
badin() { # NAME EXPECTED-STDERR CONTENT [ACTOR]
	printf '%s' "$3" >"$in"
	cli "$root" actor run "${4:-cons}" --input "$in"
	t_rc "$1: exit 2" 2
	t_has "$1: file and position named" "$C_ERR" "$2"
}
badin "a message that does not match its model" "actor run: $in: \$.messages[1].data: TestValue: field 'n': expected integer, got string" \
	'{"messages": [{"model": "TestValue", "data": {"producer": "a", "n": 1}}, {"model": "TestValue", "data": {"producer": "b", "n": "two"}}]}'
badin "a missing required field" "actor run: $in: \$.messages[0].data: TestValue: " \
	'{"messages": [{"model": "TestValue", "data": {"n": 1}}]}'
badin "an unknown field" "actor run: $in: \$.messages[0].data: TestValue: " \
	'{"messages": [{"model": "TestValue", "data": {"producer": "a", "n": 1, "bogus": 1}}]}'
badin "a JSON syntax error (line and column)" "actor run: $in:3:" \
	'{"messages": [
  {"model": "TestValue",
   "data": {"producer": "a" "n": 1}}]}'
badin "an unknown model" "actor run: $in: \$.messages[0].model: unknown model 'NoSuch'" \
	'{"messages": [{"model": "NoSuch", "data": {}}]}'
badin "a model the actor does not consume" "actor run: $in: \$.messages[0].model: actor prod does not consume TestValue" \
	'{"messages": [{"model": "TestValue", "data": {"producer": "a", "n": 1}}]}' prod
badin "a message without data" "actor run: $in: \$.messages[0]: a message needs \"model\" (a string) and \"data\" (an object)" \
	'{"messages": [{"model": "TestValue"}]}'
badin "messages that are not a list" "actor run: $in: \$.messages: expected a list of messages" '{"messages": {}}'
badin "an unknown top-level key" "actor run: $in: \$.msgs: unknown key (expected messages, config or workflow)" '{"msgs": []}'
badin "a config key of the wrong type" "actor run: $in: \$.config.count: " '{"config": {"count": "three"}}'
badin "an unknown config key" "actor run: $in: \$.config.nokey: actor cons has no configuration key 'nokey'" '{"config": {"nokey": 1}}'
cli "$root" actor run cons --input "$root/missing.json"
t_rc "a missing input file: exit 2" 2
t_has "a missing input file is named" "$C_ERR" "actor run: $root/missing.json: unable to open"
cli "$root" actor run nope
t_rc "actor run of an unknown actor: exit 2" 2
t_has "it names the actor" "$C_ERR" "actor run: unknown actor 'nope' (see leapp actor list)"
cli "$root" actor run cons --input "$in" --from-last-run
t_rc "--input with --from-last-run: exit 2" 2
cli "$root" actor run
t_rc "actor run without a name: exit 2" 2
cli "$root" actor run cons prod
t_rc "actor run with two names: exit 2" 2

# ---- a failing actor: exit 1, its failure in the JSON ----
printf '{"messages": []}' >"$in"
cli "$root" actor run boom --input "$in"
t_rc "actor run of a failing actor: exit 1" 1
t_py "the JSON says it failed and why" '
import json, sys
d = json.loads(sys.argv[1])
assert d["status"] == "failed" and d["failure"] == "exited with code 3", d
assert d["errors"][0]["title"] == "Actor boom failed: exited with code 3", d["errors"]
' "$C_OUT"

# ---- --from-last-run, --save-output, list-runs ----
cli "$root" actor run cons --from-last-run
t_rc "--from-last-run without any run: exit 1" 1
t_has "it says there is no run" "$C_ERR" "--from-last-run: no preupgrade or upgrade run is recorded"
cli "$root" list-runs
t_rc "list-runs with no run: exit 0" 0
t_eq "list-runs with no run: nothing on stdout" "" "$C_OUT"
t_has "list-runs with no run says so" "$C_ERR" "no leapp runs are recorded in"
rm -r "$root/etc/leapp/repos.d/test/actors/boom"
cli "$root" preupgrade
cli "$root" actor run cons --from-last-run
t_rc "--from-last-run: exit 0" 0
t_eq "--from-last-run: the actor got what it got in the last run (prod: n=1, early: n=1; not its own output)" "3" \
	"$(printf '%s' "$C_OUT" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["messages"][0]["data"]["n"])')"
cli "$root" list-runs --json
t_eq "without --save-output the actor runs are not kept" "preupgrade" \
	"$(printf '%s' "$C_OUT" | "$PY" -c 'import json,sys; print(" ".join(e["kind"] for e in json.load(sys.stdin)))')"
cli "$root" actor run cons --from-last-run --save-output
t_rc "--save-output: exit 0" 0
cli "$root" list-runs --json
t_eq "with --save-output the run is kept" "preupgrade:finished actor-run:finished" \
	"$(printf '%s' "$C_OUT" | "$PY" -c 'import json,sys; print(" ".join(e["kind"] + ":" + e["status"] for e in json.load(sys.stdin)))')"
saved=$(db "$root" "select uuid from executions where kind='actor-run'")
t_eq "its messages are in the store" "1" "$(db "$root" "select count(*) from messages m join executions e on e.id = m.execution where e.uuid = '$saved'")"
cli "$root" list-runs
t_rc "list-runs: exit 0" 0
t_has "list-runs: a header" "$C_OUT" "RUN                                   KIND        STATUS"
t_has "list-runs: the saved actor run with its command" "$C_OUT" "$saved  actor-run   finished"
t_has "list-runs: the command line" "$C_OUT" "actor run cons --from-last-run --save-output --root $root"
# list-runs only reads: it works while another leapp holds the lock
exec 9>"$root/var/lib/leapp/leapp.lock"
flock -n 9
cli "$root" list-runs --json
t_rc "list-runs while another leapp runs: exit 0" 0
cli "$root" actor run cons --from-last-run
t_rc "actor run while another leapp runs: exit 1" 1
exec 9>&-

# ---- leapp report: re-render from the store ----
js=$root/var/log/leapp/leapp-report.json
txt=$root/var/log/leapp/leapp-report.txt
mk_actor "$root" inh FactsCollection inhibit "" TestValue
cli "$root" preupgrade
t_rc "preupgrade with an inhibitor: exit 3" 3
cp "$js" "$root/orig.json"; cp "$txt" "$root/orig.txt"
rm "$js" "$txt"
cli "$root" report
t_rc "report: exit 0" 0
t_has "report says which run and where" "$C_OUT" "(preupgrade, schema 1.2.0) written to $root/var/log/leapp/leapp-report.txt"
cmp -s "$js" "$root/orig.json" && t_ok "report re-renders leapp-report.json byte for byte" || t_fail "report re-renders leapp-report.json byte for byte" "$(diff "$root/orig.json" "$js")"
cmp -s "$txt" "$root/orig.txt" && t_ok "report re-renders leapp-report.txt byte for byte" || t_fail "report re-renders leapp-report.txt byte for byte"
narch=$(ls "$root/var/log/leapp/archive" | wc -l)
cli "$root" report
t_eq "report over identical files archives nothing" "$narch" "$(ls "$root/var/log/leapp/archive" | wc -l)"
cli "$root" report --report-schema 1.1.0
t_rc "report --report-schema 1.1.0: exit 0" 0
t_schema "report --report-schema 1.1.0 validates against v1.1.0" "$js" 1.1.0
t_eq "the 1.2.0 files it replaced were archived" "$((narch + 1))" "$(ls "$root/var/log/leapp/archive" | wc -l)"
found=no
for f in "$root"/var/log/leapp/archive/*/leapp-report.json; do cmp -s "$f" "$root/orig.json" && found=yes; done
t_eq "the archived file is the replaced one" yes "$found"
first=$(db "$root" "select uuid from executions where kind='preupgrade' order by id limit 1")
cli "$root" report "$first"
t_rc "report RUN-ID: exit 0" 0
t_eq "report RUN-ID renders that run" "$first" "$(json_get "$js" 'd["leapp_run_id"]')"
cli "$root" report 00000000-0000-0000-0000-000000000000
t_rc "report of an unknown run: exit 2" 2
t_has "it names the run" "$C_ERR" "report: no run '00000000-0000-0000-0000-000000000000'"
new_root
cli "$ROOT" report
t_rc "report without any leapp state: exit 1" 1
t_has "it says why" "$C_ERR" "no leapp state here"

# the input's "workflow" is the actor's workflow configuration (an IPUConfig, checked)
new_root
mk_actor "$ROOT" wf Checks workflow "" TestValue
wfin=$ROOT/wf.json
cat >"$wfin" <<'JSON'
{"workflow": {"source_distro": "almalinux", "source_version": "8.10", "source_major": 8,
              "target_distro": "almalinux", "target_version": "9.6", "target_major": 9,
              "architecture": "x86_64"}}
JSON
cli "$ROOT" actor run wf --input "$wfin"
t_rc "actor run with a workflow configuration: exit 0" 0
t_has "the actor got the input's workflow configuration" "$C_OUT" '"text": "9.6"'
echo '{"workflow": {"source_distro": "almalinux"}}' >"$wfin"
cli "$ROOT" actor run wf --input "$wfin"
t_rc "an incomplete workflow configuration: exit 2" 2
t_has "it names the field" "$C_ERR" "\$.workflow: IPUConfig: field 'source_version': required field of IPUConfig is missing"

t_done

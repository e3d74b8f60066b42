#!/bin/bash
# A shell-script actor speaks the protocol through leapp-msg, under the broker and alone; a C
# actor run by hand reads JSON and prints what it produced as JSON.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-engine.sh"

root=$(mk_root)
mk_actor "$root" producer FactsCollection chain "" TestValue
d=$root/etc/leapp/repos.d/test/actors/shelly
mkdir -p "$d"
cat >"$d/actor.yaml" <<'YAML'
name: shelly
description: a shell actor
phase: Checks
exec: run.sh
consumes: [TestValue]
produces: [TestValue]
config:
  section: shelly
  fields:
    greeting: {type: string, default: hello}
YAML
cat >"$d/run.sh" <<'SH'
#!/bin/sh
set -e
eval "$(leapp-msg init "$@")"
n=$(leapp-msg messages TestValue | sed -n 's/.*"n": *\([0-9]*\).*/\1/p' | head -1)
greeting=$(leapp-msg config greeting)
leapp-msg log info "got n=$n, greeting $greeting, root $(leapp-msg get root)"
leapp-msg produce TestValue "{\"producer\": \"shelly\", \"n\": $((n + 100)), \"text\": \"$greeting\"}"
leapp-msg report --title "Shell report" --summary "from a shell actor" --severity medium --group tools --hint "nothing to do" --command echo hi --
leapp-msg done
SH
chmod +x "$d/run.sh"
leapp_run "$root" preupgrade
t_eq "a workflow with a shell actor succeeds" 0 "$E_RC"


# the data is msgpack; read it back through leapp actor run instead of sqlite's JSON
out=$("$T_LEAPP" actor run shelly --root "$root" --from-last-run 2>&1)
case "$out" in *'"n": 101'*'"text": "hello"'*) t_ok "leapp actor run shows the shell actor's message" ;;
	*) t_fail "leapp actor run shows the shell actor's message" "$out" ;; esac
grep -q "Title: Shell report" "$root/var/log/leapp/leapp-report.txt" && t_ok "the shell actor's report is in the report" || t_fail "shell report"
grep -q "^\[command\] echo hi" "$root/var/log/leapp/leapp-report.txt" && t_ok "its remediation command is kept" || t_fail "remediation"
t_eq "its log line is stored" 1 "$(db "$root" "select count(*) from logs where message like 'got n=1, greeting hello, root %'")"

# the shell actor alone, without a broker
in=$(t_tmpdir)/in.json
echo '{"messages": [{"model": "TestValue", "data": {"producer": "x", "n": 5}}], "config": {"greeting": "hej"}}' >"$in"
out=$(cd "$d" && PATH="$T_BUILD:$PATH" LEAPP_MODELS_DIR="$T_BUILD/tests/models" ./run.sh --input "$in" 2>/dev/null)
case "$out" in *'"n": 105'*'"text": "hej"'*'"title": "Shell report"'*) t_ok "a shell actor runs standalone: JSON in, JSON out" ;;
	*) t_fail "a shell actor runs standalone" "$out" ;; esac

# a C actor run by hand
cat >"$(dirname "$in")/actor.yaml" <<'YAML'
YAML
out=$(LEAPP_MODELS_DIR="$T_BUILD/tests/models" "$T_BUILD/tests/testactor" --input "$in" 2>/dev/null)
case "$out" in *'"messages"'*'"n": 6'*) t_ok "a C actor runs standalone: JSON in, JSON out" ;;
	*) t_fail "a C actor runs standalone" "$out" ;; esac
echo '{"messages": [{"model": "TestValue", "data": {"producer": "x", "n": "five"}}]}' >"$in"
tdir=$(t_tmpdir)
cp "$T_BUILD/tests/testactor" "$tdir/"
printf 'name: t\nphase: Checks\nexec: testactor\nconsumes: [TestValue]\nproduces: [TestValue]\n' >"$tdir/actor.yaml"
out=$(LEAPP_MODELS_DIR="$T_BUILD/tests/models" "$tdir/testactor" --input "$in" 2>&1)
rc=$?
[ $rc -ne 0 ] && [[ "$out" == *"message 0 (TestValue): field 'n': expected integer, got string"* ]] &&
	t_ok "standalone input is validated against the models" || t_fail "standalone validation" "rc=$rc $out"
t_done

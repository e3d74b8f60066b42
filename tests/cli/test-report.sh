#!/bin/bash
# preupgrade's exit codes, the report files (leapp's txt layout and order, both JSON schema
# versions, stable keys), the overview, the debug log and the archive of the previous run.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../engine/lib-engine.sh"
. "$(dirname "$0")/lib-cli.sh"

# ---- exit codes: 0 clean, 3 inhibited, 1 error ----
new_root; root=$ROOT
mk_actor "$root" clean FactsCollection report "" TestValue
cli "$root" preupgrade
t_rc "nothing inhibits: exit 0" 0
t_has "the next step is leapp upgrade" "$C_OUT" "Next step: nothing inhibits the upgrade; review the report, then run leapp upgrade."
mk_actor "$root" inh Checks inhibit TestValue TestValue
cli "$root" preupgrade
t_rc "an inhibitor: exit 3" 3
t_has "the next step is fixing the inhibitors" "$C_OUT" "Next step: fix the inhibitors listed above (see the report), then run leapp preupgrade again."
mk_actor "$root" bad Checks exit3 "" ""
cli "$root" preupgrade
t_rc "an error (and an inhibitor): exit 1" 1
t_has "the next step is fixing the errors" "$C_OUT" "Next step: fix the errors listed above (see the report), then run leapp preupgrade again."

# ---- a report with every kind of entry ----
new_root; root=$ROOT
mk_actor "$root" full FactsCollection fullreport "" TestValue
set_cfg "$root" full title "Full report"
set_cfg "$root" full severity medium
mk_actor "$root" sev FactsCollection reports "" TestValue
set_cfg "$root" sev count 4
set_cfg "$root" sev title Severity
mk_actor "$root" inh Checks inhibit TestValue TestValue
mk_actor "$root" crash Checks exit3 "" ""
cli "$root" preupgrade
t_rc "errors, inhibitors and reports: exit 1" 1
txt=$root/var/log/leapp/leapp-report.txt
js=$root/var/log/leapp/leapp-report.json

# order: errors, inhibitors, then high, medium, low, info
t_eq "txt order: errors, inhibitors, then by severity" \
	"high (error)|high (inhibitor)|high |medium |medium |low |info " \
	"$(grep '^Risk Factor: ' "$txt" | sed 's/^Risk Factor: //' | paste -sd'|')"
t_eq "json order: the same as the txt" \
	"Actor crash failed: exited with code 3|Test inhibitor|Severity 3|Full report|Severity 2|Severity 1|Severity 0" \
	"$(json_get "$js" '"|".join(e["title"] for e in d["entries"])')"

# leapp's layout, field by field
key=$(json_get "$js" '[e["key"] for e in d["entries"] if e["title"] == "Full report"][0]')
expected="Risk Factor: medium 
Title: Full report
Summary: Every detail of a report entry.
Second line.
Related links:
    - The documentation: https://example.com/doc
Remediation: [hint] Read the documentation.
[command] dnf remove -y foo
[playbook] /usr/share/playbooks/foo.yml
Key: $key
----------------------------------------"
t_eq "txt: an entry in leapp's layout" "$expected" "$(awk '/^Risk Factor: medium $/{p=1} p{print} p && $0 == "----------------------------------------" {exit}' "$txt")"
t_check "txt: 'Risk Factor: SEVERITY ' keeps leapp's trailing space where no flag follows" grep -qx 'Risk Factor: medium ' "$txt"
t_eq "txt: an entry without a key gets leapp's, sha1(severity:audience:title)" "$(printf '%s' "medium:developer:Full report" | sha1sum | cut -d' ' -f1)" "$key"
t_eq "txt: every entry ends with the 40-dash separator" "7" "$(grep -c '^----------------------------------------$' "$txt")"
t_eq "txt: every entry has a Key" "7" "$(grep -cE '^Key: [0-9a-f]{40}$' "$txt")"
t_has "txt: an error says so" "$(cat "$txt")" "Risk Factor: high (error)
Title: Actor crash failed: exited with code 3
Summary: The actor crash in phase Checks exited with code 3."

t_schema "leapp-report.json validates against report-schema v1.2.0 (the default)" "$js" 1.2.0
t_py "1.2.0: groups, no tags or flags; the error has the error group" '
import json, sys
d = json.load(open(sys.argv[1]))
assert all("groups" in e and "tags" not in e and "flags" not in e for e in d["entries"]), d
assert "error" in d["entries"][0]["groups"], d["entries"][0]
assert d["entries"][1]["groups"] == ["inhibitor"], d["entries"][1]
full = [e for e in d["entries"] if e["title"] == "Full report"][0]
assert full["audience"] == "developer" and full["detail"]["related_resources"][1] == {"scheme": "file", "title": "/etc/foo.conf"}, full
' "$js"

# the validator can fail: a copy without hostname does not validate
"$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); del d["entries"][0]["hostname"]; json.dump(d, open(sys.argv[2], "w"))' "$js" "$root/broken.json"
if schema_errors "$root/broken.json" 1.2.0 >/dev/null; then t_fail "the schema check rejects an entry without hostname"; else t_ok "the schema check rejects an entry without hostname"; fi

# ---- --report-schema 1.1.0 and 1.0.0 ----
cli "$root" preupgrade --report-schema=1.1.0
t_rc "--report-schema=1.1.0: exit 1 (the same system)" 1
t_schema "--report-schema=1.1.0: validates against report-schema v1.1.0" "$js" 1.1.0
t_py "1.1.0: flags (failure, inhibitor) and tags instead of groups, and keys" '
import json, sys
d = json.load(open(sys.argv[1]))
e = {x["title"]: x for x in d["entries"]}
assert all("groups" not in x and "key" in x for x in d["entries"])
assert e["Test inhibitor"]["flags"] == ["inhibitor"] and e["Test inhibitor"]["tags"] == []
assert e["Actor crash failed: exited with code 3"]["flags"] == ["failure"]
assert e["Full report"]["tags"] == ["sanity", "tools"] and e["Full report"]["flags"] == []
' "$js"
cli "$root" preupgrade --report-schema 1.0.0
t_schema "--report-schema 1.0.0: validates against report-schema v1.0.0" "$js" 1.0.0
t_py "1.0.0: no key" 'import json,sys; d=json.load(open(sys.argv[1])); assert all("key" not in e for e in d["entries"])' "$js"
t_eq "1.0.0: the txt has no Key lines either" "0" "$(grep -c '^Key:' "$txt")"

# ---- an entry that does not fit the schema fails its actor, and the file still validates ----
mk_actor "$root" badrep FactsCollection badreport "" TestValue
cli "$root" preupgrade
t_has "an invalid report entry fails its actor, saying why" "$C_OUT" \
	"badrep: test actor badrep (badreport)"
t_has "the reason names the entry and the problem" "$(cat "$txt")" \
	"sent an invalid report entry: report entry 'Bad report': detail.remediations[0]: type must be hint, command or playbook"
t_schema "with an invalid entry sent, the report still validates (v1.2.0)" "$js" 1.2.0
rm -r "$root/etc/leapp/repos.d/test/actors/badrep"

# ---- stable keys: an unchanged system gives byte-identical keys (and txt) ----
cli "$root" preupgrade
cp "$js" "$root/run1.json"; cp "$txt" "$root/run1.txt"
cli "$root" preupgrade
json_get "$root/run1.json" '"\n".join(e["key"] for e in d["entries"])' >"$root/keys1"
json_get "$js" '"\n".join(e["key"] for e in d["entries"])' >"$root/keys2"
t_eq "the report has keys" "7" "$(grep -cE '^[0-9a-f]{40}$' "$root/keys1")"
if cmp -s "$root/keys1" "$root/keys2"; then t_ok "two runs of an unchanged system: byte-identical keys"; else
	t_fail "two runs of an unchanged system: byte-identical keys" "$(diff "$root/keys1" "$root/keys2")"; fi
if cmp -s "$root/run1.txt" "$txt"; then t_ok "two runs of an unchanged system: byte-identical leapp-report.txt"; else
	t_fail "two runs: byte-identical txt" "$(diff "$root/run1.txt" "$txt")"; fi
t_eq "the runs differ (run ids), the keys do not" "different" \
	"$([ "$(json_get "$root/run1.json" 'd["leapp_run_id"]')" != "$(json_get "$js" 'd["leapp_run_id"]')" ] && echo different)"

# ---- the overview ----
cli "$root" preupgrade
out=$C_OUT
t_has "overview: errors by title" "$out" "                           ERRORS
============================================================

    1. Actor crash failed: exited with code 3"
t_has "overview: inhibitors by title" "$out" "Upgrade has been inhibited due to the following problems:
    1. Test inhibitor"
t_has "overview: high and medium reports by title" "$out" "HIGH and MEDIUM severity reports:
    1. Severity 3
    2. Full report
    3. Severity 2"
t_has "overview: counts by severity" "$out" "Reports summary:
    Errors:                     1
    Inhibitors:                 1
    HIGH severity reports:      3
    MEDIUM severity reports:    2
    LOW severity reports:       1
    INFO severity reports:      1"
t_has "overview: where the report is (txt)" "$out" "A report has been generated at $txt"
t_has "overview: where the report is (json)" "$out" "A report has been generated at $js"
t_has "overview: where the log is" "$out" "Debug output written to $root/var/log/leapp/leapp-preupgrade.log"

# ---- the log: debug level whatever the console shows; --verbose and --debug ----
new_root; root=$ROOT
mk_actor "$root" talk FactsCollection chain "" TestValue
cli "$root" preupgrade
log=$root/var/log/leapp/leapp-preupgrade.log
t_hasnt "console: no actor log lines by default" "$C_OUT" "talk [info] mode chain"
t_has "log: the actor's debug lines without --debug" "$(cat "$log")" "debug talk: consumed 0 messages, sum 0"
t_has "log: the console lines" "$(cat "$log")" "info leapp: ====> * talk: test actor talk (chain)"
t_has "log: the command line" "$(cat "$log")" "debug leapp: command: $T_LEAPP preupgrade --root $root"
mkdir -p "$root/etc/leapp/actor_conf.d"
printf 'nosuchsection:\n  x: 1\n' >"$root/etc/leapp/actor_conf.d/extra.yaml"
cli "$root" preupgrade
t_has "a warning while loading (before the log is open) is on the console" "$C_ERR" "unknown key 'nosuchsection'"
t_has "... and in the log too" "$(cat "$log")" "warning leapp: /etc/leapp/actor_conf.d/extra.yaml:1: unknown key 'nosuchsection'"
rm -r "$root/etc/leapp/actor_conf.d"
cli "$root" preupgrade --verbose
t_has "--verbose: the actor's info lines" "$C_OUT" "talk [info] mode chain"
t_hasnt "--verbose: not its debug lines" "$C_OUT" "talk [debug] consumed"
cli "$root" preupgrade --debug
t_has "--debug: the actor's debug lines" "$C_OUT" "talk [debug] consumed 0 messages, sum 0"
LEAPP_DEBUG=1 cli "$root" preupgrade
t_has "LEAPP_DEBUG=1 acts as --debug (as with leapp)" "$C_OUT" "talk [debug] consumed 0 messages, sum 0"

# ---- the previous report and log are archived, never overwritten ----
new_root; root=$ROOT
mk_actor "$root" a FactsCollection report "" TestValue
ld=$root/var/log/leapp
cli "$root" preupgrade
cp "$ld/leapp-report.json" "$root/first.json"; cp "$ld/leapp-preupgrade.log" "$root/first.log"
echo "upgrade log" >"$ld/leapp-upgrade.log"
cli "$root" preupgrade
arch=$(ls -d "$ld"/archive/leapp-* 2>/dev/null)
t_eq "the second run archived the first into one directory" "1" "$(echo "$arch" | grep -c .)"
t_eq "the archive holds the report files and the preupgrade log" "leapp-preupgrade.log leapp-report.json leapp-report.txt" \
	"$(ls "$arch" | paste -sd' ')"
cmp -s "$arch/leapp-report.json" "$root/first.json" && t_ok "the archived report is the first run's" || t_fail "the archived report is the first run's"
cmp -s "$arch/leapp-preupgrade.log" "$root/first.log" && t_ok "the archived log is the first run's" || t_fail "the archived log is the first run's"
t_eq "preupgrade leaves leapp-upgrade.log alone" "upgrade log" "$(cat "$ld/leapp-upgrade.log")"
t_eq "the new log is the new run's only" "1" "$(grep -c 'command: ' "$ld/leapp-preupgrade.log")"
cli "$root" preupgrade
cli "$root" preupgrade
t_eq "every earlier run is kept (3 archives after 4 runs)" "3" "$(ls -d "$ld"/archive/leapp-* | wc -l)"
t_eq "no archived run lost a file" "9" "$(ls "$ld"/archive/leapp-*/* | wc -l)"

t_done

#!/bin/bash
# --json-progress: every line on stdout is one JSON event of docs/json-progress.md, in a
# consistent order, ending with "done" that carries the exit code; the human lines go to stderr.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../engine/lib-engine.sh"
. "$(dirname "$0")/lib-cli.sh"

# check_stream NAME EXIT-CODE [REPORT-JSON]: parse every line of $C_OUT and check the events.
CHECK_STREAM='
import json, sys
lines = sys.stdin.read().split("\n")
rc = int(sys.argv[1]); report = sys.argv[2] if len(sys.argv) > 2 else ""
assert lines[-1] == "", "stdout does not end with a newline"
events = []
for n, line in enumerate(lines[:-1], 1):
    try:
        ev = json.loads(line)
    except ValueError as e:
        sys.exit("line %d is not JSON (%s): %r" % (n, e, line[:200]))
    assert isinstance(ev, dict), "line %d is not an object" % n
    events.append(ev)
num = (int, float)
schema = {  # event: {field: type}; "?" marks optional fields
    "start": {"execution": str, "kind": str, "root": str, "resume": bool},
    "phase-start": {"phase": str, "index": int},
    "phase-finish": {"phase": str, "index": int, "status": str, "duration_ms": num},
    "actor-start": {"actor": str, "phase": str},
    "actor-finish": {"actor": str, "phase": str, "status": str, "duration_ms": num, "exit_code?": int, "signal?": int, "failure?": str},
    "log": {"actor": str, "level": str, "message": str},
    "diagnostic": {"level": str, "message": str},
    "report": {"entry": dict},
    "reboot-requested": {"phase": str, "reason": str},
    "stats": {},
    "done": {"exit_code": int, "status": str, "execution": (str, type(None)), "kind": (str, type(None)),
             "inhibited": bool, "errors": bool, "reboot_required": bool, "rebooting": bool,
             "stopped_after": (str, type(None)), "report_json?": str, "report_txt?": str, "log?": str},
}
for n, ev in enumerate(events, 1):
    name = ev.get("event")
    assert name in schema, "line %d: unknown event %r" % (n, name)
    assert isinstance(ev.get("ts"), str) and ev["ts"].endswith("Z") and "T" in ev["ts"], "line %d: bad ts %r" % (n, ev.get("ts"))
    for f, t in schema[name].items():
        opt = f.endswith("?"); f = f.rstrip("?")
        if f not in ev:
            assert opt, "line %d: %s without %s: %r" % (n, name, f, ev)
            continue
        assert isinstance(ev[f], t) and not (t in (int, num) and isinstance(ev[f], bool)), "line %d: %s.%s has the wrong type: %r" % (n, name, f, ev)
kinds = [e["event"] for e in events]
assert kinds[-1] == "done", "the last event is %s, not done" % kinds[-1]
assert kinds.count("done") == 1, "done appears %d times" % kinds.count("done")
assert events[-1]["exit_code"] == rc, "done says exit code %s, leapp exited with %d" % (events[-1]["exit_code"], rc)
if "start" in kinds:
    assert kinds[0] in ("start", "diagnostic"), "the first event is %s" % kinds[0]
    assert events[-1]["execution"] == events[kinds.index("start")]["execution"]
# phases and actors open and close in order
open_phase = None; running = set(); last_index = -1
for ev in events:
    k = ev["event"]
    if k == "phase-start":
        assert open_phase is None, "phase %s started inside %s" % (ev["phase"], open_phase)
        assert ev["index"] > last_index, "phases out of order"
        open_phase = ev["phase"]; last_index = ev["index"]
    elif k == "phase-finish":
        if ev["status"] == "skipped":
            assert open_phase is None
        else:
            assert open_phase == ev["phase"], "phase-finish %s while %s is open" % (ev["phase"], open_phase)
            assert not running, "phase %s finished with actors running: %s" % (ev["phase"], running)
            open_phase = None
        last_index = max(last_index, ev["index"])
    elif k == "actor-start":
        assert open_phase == ev["phase"], "actor %s started outside its phase" % ev["actor"]
        running.add(ev["actor"])
    elif k == "actor-finish":
        assert ev["actor"] in running, "actor %s finished without starting" % ev["actor"]
        running.discard(ev["actor"])
        if ev["status"] != "ok":
            assert "failure" in ev and "exit_code" in ev, ev
assert open_phase is None and not running
if report:
    entries = json.load(open(report))["entries"]
    reported = [e["entry"] for e in events if e["event"] == "report"]
    assert [e["key"] for e in reported] == [e["key"] for e in entries], "report events differ from leapp-report.json"
print(" ".join(kinds))
'
check_stream() { # NAME EXIT-CODE [REPORT-JSON]
	local out
	if out=$(printf '%s\n' "$C_OUT" | "$PY" -c "$CHECK_STREAM" "$2" ${3:+"$3"} 2>&1); then
		t_ok "$1: every stdout line is a valid event, done carries exit code $2"
		EVENTS=$out
	else
		t_fail "$1: every stdout line is a valid event, done carries exit code $2" "$out" "stdout: ${C_OUT:0:3000}"
		EVENTS=""
	fi
}
# ev_field EXPR: evaluate EXPR over the events (list ev) of $C_OUT
ev_field() {
	printf '%s\n' "$C_OUT" | "$PY" -c 'import json,sys; ev=[json.loads(l) for l in sys.stdin if l.strip()]; print(eval(sys.argv[1]))' "$1"
}

new_root; root=$ROOT
mk_actor "$root" facts FactsCollection report "" TestValue
mk_actor "$root" chk Checks inhibit TestValue TestValue
mk_actor "$root" par1 Checks sleep "" "" "" 
mk_actor "$root" par2 Checks sleep "" ""
set_cfg "$root" par1 ms 20
set_cfg "$root" par2 ms 20
set_cfg "$root" par1 mode sleep
# sleep mode also chains: it needs to produce TestValue
sed -i 's/^produces: \[\]/produces: [TestValue]/' "$root"/etc/leapp/repos.d/test/actors/par*/actor.yaml

# ---- preupgrade, inhibited ----
cli "$root" preupgrade --json-progress --jobs 2
t_rc "preupgrade --json-progress: exit 3" 3
check_stream "preupgrade (inhibited)" 3 "$root/var/log/leapp/leapp-report.json"
t_has "the events in order" "$EVENTS" "start phase-start actor-start actor-finish phase-finish phase-start"
t_eq "done: status inhibited, the report paths" "inhibited True $root/var/log/leapp/leapp-report.json $root/var/log/leapp/leapp-preupgrade.log" \
	"$(ev_field '" ".join(str(x) for x in (ev[-1]["status"], ev[-1]["inhibited"], ev[-1]["report_json"], ev[-1]["log"]))')"
t_eq "phase-finish: the skipped phases after the inhibitor" "TargetTransactionFactsCollection TargetTransactionCheck" \
	"$(ev_field '" ".join(e["phase"] for e in ev if e["event"] == "phase-finish" and e["status"] == "skipped")')"
t_eq "report events: the inhibitor first" "Test inhibitor" "$(ev_field '[e for e in ev if e["event"] == "report"][0]["entry"]["title"]')"
t_has "the human lines are on stderr" "$C_ERR" "==> Processing phase \`Checks\`"
t_has "the human lines are on stderr (actors)" "$C_ERR" "====> * chk: test actor chk (inhibit)"
t_has "the overview is on stderr" "$C_ERR" "UPGRADE INHIBITED"
t_hasnt "no human line on stdout" "$C_OUT" "==>"
t_eq "--jobs 2: the two independent actors overlap" "yes" \
	"$(ev_field '"yes" if [e["event"] for e in ev if e.get("actor") in ("par1", "par2")][:2] == ["actor-start", "actor-start"] else [e["event"] for e in ev if e.get("actor") in ("par1", "par2")]')"

# ---- --verbose adds log events ----
cli "$root" preupgrade --json-progress --verbose
check_stream "preupgrade --verbose" 3
t_eq "--verbose: the actors' info lines as log events" "info mode report" \
	"$(ev_field '[e["level"] + " " + e["message"] for e in ev if e["event"] == "log" and e["actor"] == "facts"][0]')"

# ---- a failing actor ----
mk_actor "$root" boom Checks exit3 "" ""
cli "$root" preupgrade --json-progress
t_rc "a failing actor: exit 1" 1
check_stream "preupgrade with a failure" 1 "$root/var/log/leapp/leapp-report.json"
t_eq "actor-finish of the failed actor: status, exit code, failure" "failed 3 exited with code 3" \
	"$(ev_field '" ".join(str(e[k]) for e in ev if e["event"] == "actor-finish" and e["actor"] == "boom" for k in ("status", "exit_code", "failure"))')"
t_eq "phase-finish of its phase: failed" "failed" "$(ev_field '[e["status"] for e in ev if e["event"] == "phase-finish" and e["phase"] == "Checks"][0]')"
t_eq "done: status error, errors true" "error True" "$(ev_field 'ev[-1]["status"] + " " + str(ev[-1]["errors"])')"
rm -r "$root/etc/leapp/repos.d/test/actors/boom"

# ---- upgrade up to the reboot: reboot-requested, done with exit code 0 ----
rm -r "$root/etc/leapp/repos.d/test/actors/chk"
mk_actor "$root" prep InterimPreparation chain "" TestValue
cli "$root" upgrade --json-progress
t_rc "upgrade --json-progress to the reboot: exit 0" 0
check_stream "upgrade to the reboot" 0 "$root/var/log/leapp/leapp-report.json"
t_eq "reboot-requested after InterimPreparation" "InterimPreparation" "$(ev_field '[e["phase"] for e in ev if e["event"] == "reboot-requested"][0]')"
t_eq "done: status reboot, reboot_required, not rebooting" "reboot True False InterimPreparation" \
	"$(ev_field '" ".join(str(ev[-1][k]) for k in ("status", "reboot_required", "rebooting", "stopped_after"))')"
t_eq "done comes right after the report events" "report done" "$(ev_field '" ".join(e["event"] for e in ev[-2:])')"

# ---- failures before the run still end the stream with done ----
cli "$root" upgrade --json-progress --resume --whitelist-experimental nosuch
t_rc "a bad option value found after parsing: exit 2" 2
check_stream "a usage error" 2
t_eq "the stream: the diagnostic, then done" "diagnostic done" "$EVENTS"
t_has "the diagnostic names the problem" "$(ev_field 'ev[0]["message"]')" "no such actor 'nosuch'"
t_eq "done: status usage, no execution" "usage None" "$(ev_field 'ev[-1]["status"] + " " + str(ev[-1]["execution"])')"

printf 'name: broken\nphase: [Checks\n' >"$root/etc/leapp/repos.d/test/actors/prep/actor.yaml"
cli "$root" preupgrade --json-progress
t_rc "a broken manifest: exit 1" 1
check_stream "a broken manifest" 1
t_eq "the stream: the diagnostic, then done" "diagnostic done" "$EVENTS"

t_done

#!/bin/bash
# pes_events_scanner (TargetTransactionFactsCollection), run alone with `leapp actor run` on the
# minimal system with the last run's facts (the PES logic itself: test_pes.c): a PES event that
# removes an installed package (xfsprogs) in 9.0 becomes a to_remove task naming the event; a
# pes-events.json that is not JSON inhibits, naming the file, line and column, and no tasks
# are produced; no IPUConfig: the actor fails saying so (run as its own binary).
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
. "$T_TOP/tests/plan/lib-plan.sh"
p_plan_minimal
F=$R/etc/leapp/files/pes-events.json
cat >"$F" <<'JSON'
{"packageinfo": [
 {"id": 101, "action": 1, "architectures": [],
  "in_packageset": {"package": [{"name": "xfsprogs", "repository": "baseos", "modulestreams": [null]}], "set_id": 1},
  "out_packageset": null,
  "initial_release": {"major_version": 8, "minor_version": 0, "os_name": "RHEL"},
  "release": {"major_version": 9, "minor_version": 0, "os_name": "RHEL"},
  "modulestream_maps": []}],
 "provided_data_streams": ["3.1"], "timestamp": "202401010000Z"}
JSON
run() { A_OUT=$("$T_LEAPP" actor run pes_events_scanner --root "$R" --from-last-run 2>"$P_DIR/err"); A_RC=$?; }
run
t_eq "runs with the last run's messages" 0 "$A_RC" "$(tail -3 "$P_DIR/err")"
t_eq "the removal task names the event" "xfsprogs removed PES event 101 (removed)" \
	"$(msgr PESRpmTransactionTasks '.to_remove[] | "\(.name) \(.action) \(.reason)"')"
t_eq "one event read, one applied" "1 1" "$(msgr PESRpmTransactionTasks '"\(.events_read) \(.events_applied)"')"
t_check "the log counts them" grep -q "PES: 1 events read from 1 files" <<<"$(a_logs info)"

printf '{"packageinfo": [\n {"id": 101,, "action": 1}]}\n' >"$F"
run
t_eq "a broken pes-events.json: runs (it reports)" 0 "$A_RC" "$(tail -3 "$P_DIR/err")"
t_check "a broken pes-events.json: an inhibitor naming the file, line and column" grep -q "/etc/leapp/files/pes-events.json:2:13:" \
	<<<"$(printf '%s' "$A_OUT" | jq -r '.reports[] | select(.groups | index("inhibitor")) | .summary')"
t_eq "a broken pes-events.json: no tasks" 0 "$(printf '%s' "$A_OUT" | jq '[.messages[] | select(.model == "PESRpmTransactionTasks")] | length')"

echo '{"messages":[]}' >"$P_DIR/none.json"
run_actor pes_events_scanner "$R" "$P_DIR/none.json"
t_eq "no IPUConfig: fails" 1 "$A_RC"
t_check "no IPUConfig: says so" grep -q "no workflow configuration (IPUConfig)" <<<"$A_ERR$A_OUT"
t_done

#!/bin/bash
# check_systemd_services_tasks: a service both to enable and to disable (in two tasks)
# inhibits with upstream's title, naming it; tasks that agree: nothing.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
mk_input "$F_DIR/in.json" "$(ipu 8.10 9.6)" SystemdServicesTasks '{"to_enable":["chronyd.service","a.service"],"to_disable":["ntpd.service"]}' \
	SystemdServicesTasks '{"to_enable":[],"to_disable":["a.service","b.service"]}'
run_actor check_systemd_services_tasks / "$F_DIR/in.json"
t_eq "runs" 0 "$A_RC"
t_eq "inhibits with upstream's title" "Conflicting requirements of systemd service states|high|true" \
	"$(printf '%s' "$A_OUT" | jq -r '.reports[] | "\(.title)|\(.severity)|\(.groups | index("inhibitor") != null)"')"
S=$(printf '%s' "$A_OUT" | jq -r '.reports[0].summary')
t_check "names the service" grep -q -- "- a.service" <<<"$S"
t_check "only that one" bash -c "! grep -q 'b.service\|ntpd' <<<'$S'"
mk_input "$F_DIR/ok.json" "$(ipu 8.10 9.6)" SystemdServicesTasks '{"to_enable":["chronyd.service"],"to_disable":["ntpd.service"]}'
run_actor check_systemd_services_tasks / "$F_DIR/ok.json"
t_eq "no conflict: nothing" 0 "$(printf '%s' "$A_OUT" | jq '.reports | length')"
t_done

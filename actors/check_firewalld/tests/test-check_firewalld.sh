#!/bin/bash
# check_firewalld: AllowZoneDrifting=yes inhibits when firewalld is enabled; a zone or policy
# using tftp-client inhibits; each with its one-line fix.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
D='Firewalld Configuration AllowZoneDrifting Is Unsupported'
TF='Firewalld Service tftp-client Is Unsupported'
entry() { printf '%s' "$A_OUT" | jq -c --arg t "$1" "[.reports[] | select(.title == \$t)] | last | $2"; }
titles() { printf '%s' "$A_OUT" | jq -r '[.reports[].title] | join("|")'; }
on='{"enabled":["firewalld.service","sshd.service"]}'
off='{"enabled":["sshd.service"]}'
fw='{"config_present":true,"allow_zone_drifting":true,"tftp_client_users":["/etc/firewalld/zones/public.xml","/etc/firewalld/policies/out.xml"]}'
mk_input "$F_DIR/in.json" "$(ipu 8.10 9.6)" FirewalldFacts "$fw" SystemdUnits "$on"
run_actor check_firewalld / "$F_DIR/in.json"
t_eq "drifting: high inhibitor" '"high" ["sanity","firewall","inhibitor"]' "$(entry "$D" .severity) $(entry "$D" .groups)"
t_eq "drifting: the one-line fix" '[["sed","-i","s/^AllowZoneDrifting=.*/AllowZoneDrifting=no/","/etc/firewalld/firewalld.conf"]]' \
	"$(entry "$D" '[.detail.remediations[] | select(.type == "command") | .context]')"
t_eq "tftp-client: high inhibitor" '"high" ["sanity","firewall","inhibitor"]' "$(entry "$TF" .severity) $(entry "$TF" .groups)"
t_eq "tftp-client: the files" '["/etc/firewalld/zones/public.xml","/etc/firewalld/policies/out.xml"]' "$(entry "$TF" '[.detail.related_resources[].title]')"
t_eq "tftp-client: a fix for each" '["firewall-cmd --permanent --zone public --remove-service tftp-client","firewall-cmd --permanent --policy out --remove-service tftp-client"]' \
	"$(entry "$TF" '[.detail.remediations[] | select(.type == "command") | .context | join(" ")]')"
mk_input "$F_DIR/in.json" "$(ipu 8.10 9.6)" FirewalldFacts "$fw" SystemdUnits "$off"
run_actor check_firewalld / "$F_DIR/in.json"
t_eq "firewalld disabled: drifting not reported, tftp-client still" "$TF" "$(titles)"
mk_input "$F_DIR/in.json" "$(ipu 8.10 9.6)" FirewalldFacts '{"config_present":true,"allow_zone_drifting":false}' SystemdUnits "$on"
run_actor check_firewalld / "$F_DIR/in.json"
t_eq "AllowZoneDrifting=no, no tftp-client: nothing" "" "$(titles)"
t_done

#!/bin/bash
# check_network_config: custom hooks, unsupported types, NM_CONTROLLED=no, WEP, NetworkManager
# disabled with ifcfg files each inhibit (upstream titles); the NetworkManager plugins the
# configuration uses are scheduled, and pes_events_scanner puts them in the install tasks.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
entry() { printf '%s' "$A_OUT" | jq -c --arg t "$1" "[.reports[] | select(.title == \$t)] | last | $2"; }
titles() { printf '%s' "$A_OUT" | jq -r '[.reports[].title] | sort | join("|")'; }
rpms() { printf '{"items":['; local s=""; for n; do printf '%s{"name":"%s","version":"1","release":"1","arch":"x86_64"}' "$s" "$n"; s=,; done; printf ']}'; }
F=/etc/sysconfig/network-scripts
ifc() { printf '{"file":"%s/ifcfg-%s","type":%s,"type_inferred":"%s","conflicting_types":%s,"nm_controlled":%s,"wep":%s,"routing_rules":%s}' "$F" "$@"; }
net="{\"custom_scripts\":[\"/sbin/ifup-local\"],\"ifcfg\":[$(ifc eth0 null ethernet false false false false),$(ifc team0 '"team"' team false true false true),$(ifc tok0 '"tokenring"' ethernet false true false false),$(ifc cafe null wireless false true true false)],\"wep_keyfiles\":[\"/etc/NetworkManager/system-connections/old.nmconnection\"]}"
on='{"enabled":["NetworkManager.service"]}'
mk_input "$F_DIR/in.json" "$(ipu 8.10 9.6)" NetworkConfig "$net" SystemdUnits "$on" InstalledRPM "$(rpms network-scripts NetworkManager)"
run_actor check_network_config / "$F_DIR/in.json"
S='custom network-scripts detected'; U='Network configuration for unsupported device types detected'
C='Network configuration with disabled NetworkManager support detected'; W='Wireless networks using unsupported WEP encryption detected'
D='ifcfg files expect NetworkManager but the service is disabled'
t_eq "four inhibitors" "$U|$C|$W|$S" "$(titles)"
for t in "$S" "$U" "$C" "$W"; do
	t_eq "$t: high inhibitor" '"high" ["network","services","inhibitor"]' "$(entry "$t" .severity) $(entry "$t" .groups)"
done
t_eq "hooks named" '["/sbin/ifup-local"]' "$(entry "$S" '[.detail.related_resources[] | select(.scheme == "file") | .title]')"
t_eq "unsupported type: tok0" "[\"$F/ifcfg-tok0\"]" "$(entry "$U" '[.detail.related_resources[] | select(.scheme == "file") | .title]')"
t_eq "NM_CONTROLLED=no: eth0" "[\"$F/ifcfg-eth0\"]" "$(entry "$C" '[.detail.related_resources[] | select(.scheme == "file") | .title]')"
t_eq "WEP: ifcfg and keyfile" "[\"$F/ifcfg-cafe\",\"/etc/NetworkManager/system-connections/old.nmconnection\"]" "$(entry "$W" '[.detail.related_resources[] | select(.scheme == "file") | .title]')"
t_eq "plugins scheduled" '["NetworkManager","NetworkManager-dispatcher-routing-rules","NetworkManager-team","NetworkManager-wifi"]' "$(msg RpmTransactionTasks .to_install)"

# NetworkManager installed but disabled, ifcfg files it should manage
mk_input "$F_DIR/in.json" "$(ipu 8.10 9.6)" NetworkConfig "{\"ifcfg\":[$(ifc eth1 '"ethernet"' ethernet false true false false)]}" SystemdUnits '{"enabled":["sshd.service"]}' InstalledRPM "$(rpms network-scripts NetworkManager)"
run_actor check_network_config / "$F_DIR/in.json"
t_eq "NetworkManager disabled: inhibitor" "$D" "$(titles)"
t_eq "NetworkManager disabled: the file" "[\"$F/ifcfg-eth1\"]" "$(entry "$D" '[.detail.related_resources[] | select(.scheme == "file") | .title]')"
# NetworkManager not installed: it is installed with the server config, no inhibitor
mk_input "$F_DIR/in.json" "$(ipu 8.10 9.6)" NetworkConfig "{\"ifcfg\":[$(ifc eth1 '"ethernet"' ethernet false true false false)]}" SystemdUnits '{"enabled":[]}' InstalledRPM "$(rpms network-scripts)"
run_actor check_network_config / "$F_DIR/in.json"
t_eq "NetworkManager not installed: no inhibitor, installed with config-server" '["NetworkManager","NetworkManager-config-server"] ' "$(msg RpmTransactionTasks .to_install) $(titles)"
# a plain NetworkManager system: nothing
mk_input "$F_DIR/in.json" "$(ipu 8.10 9.6)" NetworkConfig "{\"ifcfg\":[$(ifc eth1 '"ethernet"' ethernet false true false false)]}" SystemdUnits "$on" InstalledRPM "$(rpms NetworkManager)"
run_actor check_network_config / "$F_DIR/in.json"
t_eq "NetworkManager enabled, no network-scripts: nothing" ' 0' "$(titles) $(printf '%s' "$A_OUT" | jq '[.messages[] | select(.model == "RpmTransactionTasks")] | length')"

# pes_events_scanner takes the tasks into the install list, with their reason
R=$F_DIR/root
mkdir -p "$R/etc/leapp/files"
echo '{"packageinfo":[]}' >"$R/etc/leapp/files/pes-events.json"
mk_input "$F_DIR/in.json" "$(ipu 8.10 9.6)" DistributionSignedRPM "$(rpms network-scripts NetworkManager)" ThirdPartyRPM '{"items":[]}' \
	RpmTransactionTasks '{"to_install":["NetworkManager-team"],"reason":"NetworkManager takes over the ifcfg network configuration"}'
run_actor pes_events_scanner "$R" "$F_DIR/in.json"
t_eq "pes_events_scanner: install task with the actor's reason" '[{"name":"NetworkManager-team","reason":"RpmTransactionTasks: NetworkManager takes over the ifcfg network configuration"}]' \
	"$(msg PESRpmTransactionTasks '[.to_install[] | {name, reason}]')"
t_eq "pes_events_scanner: not an admin override" '[]' "$(msg PESRpmTransactionTasks .overrides)"
t_done

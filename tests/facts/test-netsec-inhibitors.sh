#!/bin/bash
# Acceptance (issue 19): `leapp preupgrade --root` on the demo system with network, firewalld
# and crypto problems added exits 3 with their inhibitors, each naming its files; the demo
# itself is ready (tests/facts/test-preupgrade-demo.sh).
. "$(dirname "$0")/../lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"

sysroot demo || { t_fail "mksysroot demo"; t_done; exit 1; }
R=$SR/root
REP=$R/var/log/leapp/leapp-report.json
# firewalld enabled with the release 8 default, a zone using tftp-client
mkdir -p "$R/etc/firewalld/zones" "$R/etc/systemd/system/multi-user.target.wants"
printf 'DefaultZone=public\nAllowZoneDrifting=yes\n' >"$R/etc/firewalld/firewalld.conf"
printf '<zone><service name="ssh"/><service name="tftp-client"/></zone>\n' >"$R/etc/firewalld/zones/public.xml"
ln -s /usr/lib/systemd/system/firewalld.service "$R/etc/systemd/system/multi-user.target.wants/firewalld.service"
# a custom network-scripts hook, an ifcfg file NetworkManager must leave alone
printf '#!/bin/sh\nlogger up\n' >"$R/usr/sbin/ifup-local"
printf 'DEVICE=eth1\nTYPE=Ethernet\nNM_CONTROLLED=no\n' >"$R/etc/sysconfig/network-scripts/ifcfg-eth1"
# the SHA-1 package under the DEFAULT policy
echo DEFAULT >"$R/etc/crypto-policies/config"
OUT=$("$T_LEAPP" preupgrade --root "$R" 2>&1); RC=$?
t_eq "preupgrade exits 3" 3 "$RC" || printf '%s\n' "$OUT" | tail -20
inh=$(jq -r '[.entries[] | select(.groups | index("inhibitor")) | .title] | sort | join("|")' "$REP")
for t in "Detected RPMs with RSA/SHA1 signature" "Firewalld Configuration AllowZoneDrifting Is Unsupported" \
	"Firewalld Service tftp-client Is Unsupported" "custom network-scripts detected" \
	"Network configuration with disabled NetworkManager support detected"; do
	t_check "inhibitor: $t" grep -qF "$t" <<<"$inh"
done
res() { jq -r --arg t "$1" '[.entries[] | select(.title == $t) | .detail.related_resources[]? | .title] | join(" ")' "$REP"; }
t_eq "the hook is named" "/sbin/ifup-local" "$(res "custom network-scripts detected")"
t_eq "the ifcfg file is named, with the package" "/etc/sysconfig/network-scripts/ifcfg-eth1 NetworkManager" "$(res "Network configuration with disabled NetworkManager support detected")"
t_check "the SHA-1 package is named" grep -qw legacy-monitor <<<"$(res "Detected RPMs with RSA/SHA1 signature")"
t_check "the zone file is named" grep -q /etc/firewalld/zones/public.xml <<<"$(res "Firewalld Service tftp-client Is Unsupported")"
t_check "the drifting fix is a remediation command" grep -q "AllowZoneDrifting=no" \
	<<<"$(jq -r '.entries[] | select(.title == "Firewalld Configuration AllowZoneDrifting Is Unsupported") | .detail.remediations[] | select(.type == "command") | .context | join(" ")' "$REP")"
t_check "the report validates" validate_report "$REP"
t_done

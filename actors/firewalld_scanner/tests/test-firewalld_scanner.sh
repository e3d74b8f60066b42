#!/bin/bash
# firewalld_scanner: AllowZoneDrifting from firewalld.conf, the zone and policy files that use
# the tftp-client service (as a service or in a rich rule); nothing without /etc/firewalld.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
R=$F_DIR/root
mkdir -p "$R/etc/firewalld/zones" "$R/etc/firewalld/policies"
printf '# firewalld config file\nDefaultZone=public\nAllowZoneDrifting=yes\n' >"$R/etc/firewalld/firewalld.conf"
cat >"$R/etc/firewalld/zones/public.xml" <<'X'
<?xml version="1.0" encoding="utf-8"?>
<zone><short>Public</short><service name="ssh"/><service name="tftp-client"/></zone>
X
cat >"$R/etc/firewalld/zones/internal.xml" <<'X'
<zone><service name="tftp"/><service name="tftp-client-extra"/></zone>
X
cat >"$R/etc/firewalld/policies/out.xml" <<'X'
<policy target="CONTINUE"><rule family="ipv4"><source address="10.0.0.0/8"/><service name='tftp-client'/><accept/></rule></policy>
X
run_actor firewalld_scanner "$R"
t_eq "AllowZoneDrifting=yes" 'true true' "$(msg FirewalldFacts .config_present) $(msg FirewalldFacts .allow_zone_drifting)"
t_eq "tftp-client users: the zone and the policy's rich rule, not tftp or a longer name" \
	'["/etc/firewalld/zones/public.xml","/etc/firewalld/policies/out.xml"]' "$(msg FirewalldFacts .tftp_client_users)"
sed -i 's/AllowZoneDrifting=yes/AllowZoneDrifting=no/' "$R/etc/firewalld/firewalld.conf"
run_actor firewalld_scanner "$R"
t_eq "AllowZoneDrifting=no" false "$(msg FirewalldFacts .allow_zone_drifting)"
rm -r "$R/etc/firewalld"
run_actor firewalld_scanner "$R"
t_eq "no /etc/firewalld: nothing, no warning" 'false false [] ' \
	"$(msg FirewalldFacts .config_present) $(msg FirewalldFacts .allow_zone_drifting) $(msg FirewalldFacts .tftp_client_users) $(report_keys)"
t_done

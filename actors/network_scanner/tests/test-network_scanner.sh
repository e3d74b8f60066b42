#!/bin/bash
# network_scanner: the custom network-scripts hooks, the ifcfg files (type, NM_CONTROLLED, WEP,
# routing rules) and NetworkManager keyfiles with WEP; nothing on an empty root.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
R=$F_DIR/root
N=$R/etc/sysconfig/network-scripts
mkdir -p "$N" "$R/usr/sbin" "$R/etc/NetworkManager/system-connections"
ln -s usr/sbin "$R/sbin"
echo '#!/bin/sh' >"$R/usr/sbin/ifup-local"
echo '#!/bin/sh' >"$R/usr/sbin/ifdown-pre-local"
printf 'DEVICE=lo\nTYPE=AvianCarrier\n' >"$N/ifcfg-lo"
printf 'DEVICE=eth0\nBOOTPROTO=dhcp\nNM_CONTROLLED="no"  # old habit\n' >"$N/ifcfg-eth0"
printf 'DEVICE=eth0\nTYPE=Bogus\n' >"$N/ifcfg-eth0.bak"
printf 'DEVICE=team0\nDEVICETYPE=Team\nTEAM_CONFIG={}\n' >"$N/ifcfg-team0"
printf 'DEVICE=bond0\nTYPE=Ethernet\nBONDING_MASTER=yes\n' >"$N/ifcfg-bond0"
printf "ESSID=cafe\nMODE=Managed\n" >"$N/ifcfg-cafe"
printf "KEY1=s:secret\n" >"$N/keys-cafe"
printf 'DEVICE=tok0\nTYPE=TokenRing\n' >"$N/ifcfg-tok0"
echo 'from 10.0.0.0/8 table 5' >"$N/rule-team0"
printf '[connection]\nid=old\ntype=wifi\n[wifi-security]\nkey-mgmt=none\nwep-key0=abc\n' >"$R/etc/NetworkManager/system-connections/old.nmconnection"
printf '[connection]\nid=new\n[wifi-security]\nkey-mgmt=wpa-psk\n' >"$R/etc/NetworkManager/system-connections/new.nmconnection"
run_actor network_scanner "$R"
t_eq "custom scripts, through the /sbin link" '["/sbin/ifup-local","/sbin/ifdown-pre-local"]' "$(msg NetworkConfig .custom_scripts)"
t_eq "ifcfg files: lo and backups left out" '["bond0","cafe","eth0","team0","tok0"]' "$(msg NetworkConfig '[.ifcfg[].file | sub(".*/ifcfg-"; "")]')"
c() { msg NetworkConfig "[.ifcfg[] | select(.file | endswith(\"/ifcfg-$1\"))][0] | $2"; }
t_eq "eth0: no type (ethernet inferred), NM_CONTROLLED=no" 'null "ethernet" false' "$(c eth0 .type) $(c eth0 .type_inferred) $(c eth0 .nm_controlled)"
t_eq "team0: DEVICETYPE, routing rules" '"team" true' "$(c team0 .type) $(c team0 .routing_rules)"
t_eq "bond0: TYPE=Ethernet with BONDING_MASTER conflicts" '"ethernet" true' "$(c bond0 .type) $(c bond0 .conflicting_types)"
t_eq "cafe: wireless inferred, WEP key in keys-cafe" '"wireless" true' "$(c cafe .type_inferred) $(c cafe .wep)"
t_eq "tok0: its type, no WEP" '"tokenring" false' "$(c tok0 .type) $(c tok0 .wep)"
t_eq "WEP keyfile" '["/etc/NetworkManager/system-connections/old.nmconnection"]' "$(msg NetworkConfig .wep_keyfiles)"
# interfaces: sys/class/net, NICs have a device link
for i in eth0 eth1 lo br0; do mkdir -p "$R/sys/devices/virtual/net/$i"; ln -s ../../devices/virtual/net/$i "$R/sys/class/net/$i" 2>/dev/null || { mkdir -p "$R/sys/class/net"; ln -s ../../devices/virtual/net/$i "$R/sys/class/net/$i"; }; done
for i in eth0 eth1; do mkdir -p "$R/sys/devices/pci0000:00/0000:00:0$i"; ln -s "../../../pci0000:00/0000:00:0$i" "$R/sys/devices/virtual/net/$i/device"; done
echo 52:54:00:12:34:56 >"$R/sys/devices/virtual/net/eth0/address"
run_actor network_scanner "$R"
t_eq "interfaces known" true "$(msg NetworkConfig .interfaces_known)"
t_eq "interfaces: NICs are physical" '[["br0",false],["eth0",true],["eth1",true],["lo",false]]' "$(msg NetworkConfig '[.interfaces[] | [.name, .physical]]')"
t_eq "MAC address" '"52:54:00:12:34:56"' "$(msg NetworkConfig '.interfaces[1].mac')"
f_tmpdir
run_actor network_scanner "$F_DIR"
t_eq "empty root: interfaces unknown" false "$(msg NetworkConfig .interfaces_known)"
t_eq "empty root: nothing, no warning" '[] [] [] ' "$(msg NetworkConfig .custom_scripts) $(msg NetworkConfig .ifcfg) $(msg NetworkConfig .wep_keyfiles) $(report_keys)"
t_done

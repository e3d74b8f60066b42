#!/bin/bash
# check_removed_drivers: a driver in use (loaded, or bound to a PCI device) that the target
# removed inhibits, an unmaintained one warns; a PCI device the target dropped inhibits, an
# unmaintained one warns (upstream checkdetecteddevicesanddrivers: titles and keys).
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
RD=f08a07da902958defa4f5c2699fae9ec2eb67c5b UD=0ff2413fd3cb0358736bf9be597f4dbdf58f2c4d
RV=ccfc28592c82123649fc824c6c1c89cabfceae7c UV=261e3e55a3a80346f2fcc2a1e59c64f7a4caa263
mods() { local IFS=,; local m="" x; for x in "$@"; do m="$m${m:+,}{\"name\":\"$x\"}"; done; printf '{"known":true,"modules":[%s]}' "$m"; }
pci() { local s="" a="" x; for x; do a="$a$s{\"slot\":\"${x%%=*}\",\"pci_id\":\"$(cut -d= -f2 <<<"$x")\",\"driver\":$(cut -d= -f3 <<<"$x")}"; s=,; done; printf '{"known":true,"devices":[%s]}' "$a"; }
mk_input "$F_DIR/in.json" "$(ipu 8.10 9.6)" LoadedKernelModules "$(mods xfs virtio_net liquidio)" PCIDevices '{"known":true,"devices":[]}'
run_actor check_removed_drivers / "$F_DIR/in.json"
t_eq "loaded liquidio (7 and 8 only) inhibits for 9" "$RD" "$(inhibitor_keys)"
t_eq "its title" "Leapp detected loaded kernel drivers that have been removed in the target OS. Upgrade cannot proceed." "$(report $RD .title)"
t_eq "high, kernel drivers" 'high ["kernel","drivers","inhibitor"]' "$(report $RD .severity) $(report $RD '.groups | tojson')"
t_eq "related resource" "kernel-driver:liquidio" "$(report $RD '.detail.related_resources[] | "\(.scheme):\(.title)"')"
# not loaded, but bound to a device (e.g. loaded from the initramfs under another name list)
mk_input "$F_DIR/in.json" "$(ipu 8.10 9.6)" LoadedKernelModules "$(mods xfs)" PCIDevices "$(pci '0000:05:00.0=177d:9702:177d:0004="liquidio"')"
run_actor check_removed_drivers / "$F_DIR/in.json"
t_eq "liquidio bound to a device, not loaded: inhibits" "$RD" "$(inhibitor_keys)"
mk_input "$F_DIR/in.json" "$(ipu 7.9 8.10)" LoadedKernelModules "$(mods liquidio)"
run_actor check_removed_drivers / "$F_DIR/in.json"
t_eq "liquidio for target 8: not removed" "" "$(inhibitor_keys)"
mk_input "$F_DIR/in.json" "$(ipu 8.10 9.6)" LoadedKernelModules "$(mods ip_tables xfs)"
run_actor check_removed_drivers / "$F_DIR/in.json"
t_eq "ip_tables: unmaintained in 9, a high warning" "$UD high" "$(report_keys) $(report $UD .severity)"
# devices: by vendor:device:subsystem, and by vendor:device
mk_input "$F_DIR/in.json" "$(ipu 8.10 9.6)" LoadedKernelModules "$(mods xfs)" \
	PCIDevices "$(pci '0000:03:00.0=1011:0046:103c:10c2=null' '0000:04:00.0=10df:e220:10df:e704="be2net"' '0000:00:1f.2=8086:2922:1af4:1100="ahci"')"
run_actor check_removed_drivers / "$F_DIR/in.json"
t_eq "NetRAID-4M (7 only) inhibits; OneConnect warns" "$UV $RV" "$(report_keys)"
t_eq "device inhibitor title" "Leapp detected devices no longer supported by the target OS. Upgrade cannot proceed." "$(report $RV .title)"
t_check "names the device, its id and slot" grep -q "NetRAID-4M (0x1011:0x0046:0x103c:0x10c2, at 0000:03:00.0)" <<<"$(report $RV .summary)"
t_eq "unmaintained device title" "Leapp detected devices no longer maintained in the target OS" "$(report $UV .title)"
mk_input "$F_DIR/in.json" "$(ipu 8.10 9.6)" LoadedKernelModules "$(mods xfs)" PCIDevices "$(pci '0000:00:1f.2=8086:2922:1af4:1100="ahci"')"
run_actor check_removed_drivers / "$F_DIR/in.json"
t_eq "supported devices and drivers: nothing" "" "$(report_keys)"
f_tmpdir
mkdir -p "$F_DIR/root/etc/leapp/files"
echo '{"data": [' >"$F_DIR/root/etc/leapp/files/device_driver_deprecation_data.json"
mk_input "$F_DIR/in.json" "$(ipu 8.10 9.6)" LoadedKernelModules "$(mods xfs)"
run_actor check_removed_drivers "$F_DIR/root" "$F_DIR/in.json"
t_eq "a broken data file inhibits" "$K_DATA_FILE_UNREADABLE" "$(inhibitor_keys)"
t_done

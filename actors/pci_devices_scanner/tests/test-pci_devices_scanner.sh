#!/bin/bash
# pci_devices_scanner: the ids and bound driver of each sys/bus/pci/devices entry; unknown
# (no error) without the directory.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
R=$F_DIR/root
# mkpci SLOT VENDOR DEVICE SUBVENDOR SUBDEVICE [DRIVER]: a device as sysfs shows it
mkpci() {
	local d=$R/sys/devices/pci0000:00/$1
	mkdir -p "$d" "$R/sys/bus/pci/devices" "$R/sys/bus/pci/drivers"
	echo "$2" >"$d/vendor"; echo "$3" >"$d/device"; echo "$4" >"$d/subsystem_vendor"; echo "$5" >"$d/subsystem_device"
	echo 0x010400 >"$d/class"
	[ -n "${6:-}" ] && { mkdir -p "$R/sys/bus/pci/drivers/$6"; ln -s "../../../../bus/pci/drivers/$6" "$d/driver"; }
	ln -s "../../../devices/pci0000:00/$1" "$R/sys/bus/pci/devices/$1"
}
mkpci 0000:00:1f.2 0x8086 0x2922 0x1af4 0x1100 ahci
mkpci 0000:03:00.0 0x1011 0x0046 0x103C 0x10c2
run_actor pci_devices_scanner "$R"
t_eq "known" true "$(msg PCIDevices .known)"
t_eq "ids, lowercase without 0x; the bound driver" '[["0000:00:1f.2","8086:2922:1af4:1100","ahci"],["0000:03:00.0","1011:0046:103c:10c2",null]]' \
	"$(msg PCIDevices '[.devices[] | [.slot, .pci_id, .driver]]')"
t_eq "class" '"010400"' "$(msg PCIDevices '.devices[0].class_id')"
f_tmpdir
run_actor pci_devices_scanner "$F_DIR"
t_eq "no sysfs: unknown, exit 0, no report" 'false [] 0 ' "$(msg PCIDevices .known) $(msg PCIDevices .devices) $A_RC $(report_keys)"
t_done

#!/bin/bash
# nvme_scanner + check_nvme on a tree whose sys/class/nvme stands for the kernel's (controllers as
# symlinks into sys/devices, a transport file, namespaces as subdirectories, a multipath path
# namespace nvmeXcYnZ), with /dev/disk/by-uuid links and a device-mapper volume on a namespace:
# - PCIe only: passes; the nvmf module, nvme-cli, rd.nvmf.discover=fc,auto and, from 8,
#   nvme_core.multipath=N on both entries with the two info entries; live mode: no discover arg;
# - /var on an NVMe/TCP namespace (through LVM) inhibits, naming the device and mount point;
# - NVMe/TCP without /etc/nvme/hostnqn inhibits, naming the file; with both files it does not;
# - nvme_core.multipath=N already set: not added again; from 9 with =N: inhibitor.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
R=$F_DIR/root
mkdir -p "$R/dev/disk/by-uuid" "$R/sys/class/nvme" "$R/proc" "$R/etc"
ctrl() { # NAME TRANSPORT NAMESPACE-ENTRY...
	local n=$1 t=$2 d=$R/sys/devices/virtual/nvme-fabrics/ctl/$1
	shift 2
	mkdir -p "$d"
	echo "$t" >"$d/transport"
	for ns; do mkdir -p "$d/$ns"; done
	mkdir -p "$d/power"
	ln -s "../../devices/virtual/nvme-fabrics/ctl/$n" "$R/sys/class/nvme/$n"
}
ctrl nvme0 pcie nvme0n1
ctrl nvme1 tcp nvme1c1n1
: >"$R/dev/nvme0n1p2"
: >"$R/dev/nvme1n1"
ln -s ../../nvme0n1p2 "$R/dev/disk/by-uuid/1111-root"
# /var: a device-mapper volume on the TCP namespace
mkdir -p "$R/sys/block/dm-0/slaves/nvme1n1"
mkdir -p "$R/dev/mapper"
ln -s ../dm-0 "$R/dev/mapper/vg-var"
echo "BOOT_IMAGE=/vmlinuz root=UUID=1111-root ro" >"$R/proc/cmdline"

run_actor nvme_scanner "$R"
t_eq "scanner: runs" 0 "$A_RC"
t_eq "controllers, transports, namespaces (the path form as its head device)" "nvme0 pcie nvme0n1|nvme1 tcp nvme1n1" \
	"$(msgr NVMEInfo '[.devices[] | "\(.name) \(.transport) \(.namespaces | join(","))"] | join("|")')"
t_eq "no /etc/nvme: hostnqn and hostid null" "null null" "$(msgr NVMEInfo '"\(.hostnqn) \(.hostid)"')"
SCAN=$A_OUT

fstab() { # lines "source target"
	local items=()
	while read -r s t; do items+=("{\"source\":\"$s\",\"target\":\"$t\",\"fstype\":\"xfs\"}"); done
	printf '{"fstab":[%s]}' "$(IFS=,; echo "${items[*]}")"
}
check() { # FSTAB-JSON [CMDLINE] [SOURCE-VERSION] [LIVE]
	local cmdline=${2:-root=UUID=1111-root ro} v=${3:-8.10} extra=()
	[ -n "${4:-}" ] && extra=(LiveModeConfig '{"is_enabled":true}')
	mk_input "$F_DIR/in.json" "$(ipu "$v" "$(( ${v%%.*} + 1 )).6")" \
		NVMEInfo "$(printf '%s' "$SCAN" | jq -c '[.messages[] | select(.model == "NVMEInfo")] | last | .data')" \
		StorageInfo "$1" KernelInfo "{\"cmdline\":\"$cmdline\",\"installed\":[]}" "${extra[@]}"
	run_actor check_nvme "$R" "$F_DIR/in.json"
	INH=$(printf '%s' "$A_OUT" | jq -r '[.reports[] | select(.groups | index("inhibitor")) | .title] | join("|")')
}
T_FSTAB='NVMe devices with unhandled transport type present in fstab'
T_CONF='Missing NVMe configuration files required for the upgrade'

# / on the PCIe namespace only; NVMe/TCP present but without its identity files
check "$(printf 'UUID=1111-root /\n' | fstab)"
t_eq "check: runs" 0 "$A_RC"
t_eq "TCP without hostid/hostnqn inhibits (only that)" "$T_CONF" "$INH"
t_check "... naming the files and the controller" grep -q "NVMe-oF devices (nvme1), but /etc/nvme/hostid and /etc/nvme/hostnqn are missing" \
	<<<"$(printf '%s' "$A_OUT" | jq -r '.reports[].summary')"
t_eq "the nvmf module for the upgrade initramfs" nvmf "$(msgr UpgradeInitramfsTasks '.include_dracut_modules | map(.name) | join(",")')"
t_eq "nvme-cli and what nvmf calls in the target userspace" "nvme-cli iproute jq sed dracut dracut-network" \
	"$(msgr TargetUserSpaceTasks '.packages | join(" ")')"
t_eq "upgrade entry: rd.nvmf.discover=fc,auto and nvme_core.multipath=N" "rd.nvmf.discover=fc,auto nvme_core.multipath=N" \
	"$(msgr UpgradeKernelCmdlineArgTasks '[.to_add[] | "\(.key)=\(.value)"] | join(" ")')"
t_eq "target entry: nvme_core.multipath=N" "nvme_core.multipath=N" \
	"$(msgr TargetKernelCmdlineArgTasks '[.to_add[] | "\(.key)=\(.value)"] | join(" ")')"
t_eq "two info entries about multipath" "Native NVMe multipath is recommended on the target system.|Native NVMe multipath will be disabled on the target system." \
	"$(printf '%s' "$A_OUT" | jq -r '[.reports[] | select(.severity == "info") | .title] | join("|")')"

# with the identity files: no inhibitor; /var on the TCP namespace through device-mapper inhibits
mkdir -p "$R/etc/nvme"
echo "nqn.2014-08.org.nvmexpress:uuid:0f0e" >"$R/etc/nvme/hostnqn"
echo "0f0e0d0c-0b0a-0908-0706-050403020100" >"$R/etc/nvme/hostid"
run_actor nvme_scanner "$R"
SCAN=$A_OUT
t_eq "scanner: the identity read, trimmed" "nqn.2014-08.org.nvmexpress:uuid:0f0e" "$(msgr NVMEInfo .hostnqn)"
check "$(printf 'UUID=1111-root /\n' | fstab)"
t_eq "with hostid and hostnqn: no inhibitor" "" "$INH"
check "$(printf 'UUID=1111-root /\n/dev/mapper/vg-var /var\n' | fstab)"
t_eq "/var on the TCP namespace (through dm-0) inhibits" "$T_FSTAB" "$INH"
t_check "... naming the namespace, the mount point and the transport" grep -q \
	'/dev/nvme1n1 (/var on /dev/mapper/vg-var, controller nvme1 over tcp)' <<<"$(printf '%s' "$A_OUT" | jq -r '.reports[].summary')"
check "$(printf '/dev/nvme0n1p2 /\n' | fstab)"
t_eq "a partition of the PCIe namespace named directly: fine" "" "$INH"

# the system already sets nvme_core.multipath: left as it is
check "$(printf 'UUID=1111-root /\n' | fstab)" "root=UUID=1111-root nvme_core.multipath=Y"
t_eq "nvme_core.multipath=Y: not added" "rd.nvmf.discover=fc,auto" "$(msgr UpgradeKernelCmdlineArgTasks '[.to_add[] | "\(.key)=\(.value)"] | join(" ")')"
t_eq "... no info entry" "0" "$(printf '%s' "$A_OUT" | jq '[.reports[] | select(.severity == "info")] | length')"
# live mode: the live image does not discover at boot
check "$(printf 'UUID=1111-root /\n' | fstab)" "" 8.10 live
t_eq "live mode: no rd.nvmf.discover" "nvme_core.multipath=N" "$(msgr UpgradeKernelCmdlineArgTasks '[.to_add[] | "\(.key)=\(.value)"] | join(" ")')"
# from release 9, native multipath off inhibits
check "$(printf 'UUID=1111-root /\n' | fstab)" "root=UUID=1111-root nvme_core.multipath=N" 9.6
t_eq "9: nvme_core.multipath=N inhibits" "NVMe native multipath must be enabled on the target system" "$INH"
t_eq "9: ... and asks for no command line change" "null" "$(msg UpgradeKernelCmdlineArgTasks .)"

# no NVMe at all: no message, no entry
f_tmpdir
mkdir -p "$F_DIR/plain/etc"
run_actor nvme_scanner "$F_DIR/plain"
t_eq "no sys/class/nvme: no NVMEInfo" "null" "$(msg NVMEInfo .)"
t_done

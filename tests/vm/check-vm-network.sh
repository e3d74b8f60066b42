#!/bin/bash
# The network in the upgrade initramfs, booted (issue 18, item 10), once per mode of upstream's
# experimental switch LEAPP_DEVEL_INITRAM_NETWORK (with LEAPP_UNSUPPORTED=1):
#   network-manager  the system's keyfile (a static address, 10.0.2.20/24) goes into the upgrade
#                    initramfs with dracut's network-manager module: the interface comes up with
#                    that configured address
#   scripts          dracut's network module with ip=dhcp: the address QEMU's DHCP gives (10.0.2.15)
# Each time the upgrade entry gets rd.neednet=1 and upgrade.service waits for the network. The VM
# has one NIC on QEMU's user-mode network with restrict=on (the guest can reach nothing beyond
# QEMU itself; nothing is contacted). On the disk afterwards, the journal of the initramfs
# (appended to leapp-upgrade.log) shows the address (upgrade.service logs `ip -4 address` before
# its script starts) before the upgrade started, and the
# upgrade finished as without the network. The upgrade without the switch (test-vm-upgrade.sh)
# has no network in its initramfs and runs with -nic none.
#   VM_KEEP=1              keep the work directory ($T_BUILD/vm-test/network)
#   VM_NET_MODES="scripts" the modes to boot (default: network-manager scripts)
# san: skip (boots the plain build's image in QEMU for minutes; the sanitizers add nothing there)
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/vmlib.sh"

vm_start network "VM network test"
vm_tools_ok
STATIC=10.0.2.20
# the system's connection: a keyfile with a static address, as NetworkManager writes it
static_keyfile() {
	mkdir -p "$R/etc/NetworkManager/system-connections"
	printf '[connection]\nid=wired\ntype=ethernet\nautoconnect=true\n[ipv4]\nmethod=manual\naddress1=%s/24,10.0.2.2\n[ipv6]\nmethod=disabled\n' \
		"$STATIC" >"$R/etc/NetworkManager/system-connections/wired.nmconnection"
	chmod 600 "$R/etc/NetworkManager/system-connections/wired.nmconnection"
}
no_prepare() { :; }

# one_mode MODE PREPARE WANT-ADDRESS ENTRY-ARGS...
one_mode() {
	local mode=$1 prepare=$2 want=$3 a
	shift 3
	rm -rf "$W/out" "$W/disk"
	export LEAPP_DEVEL_INITRAM_NETWORK=$mode
	vm_demo_upgrade "$prepare"
	unset LEAPP_DEVEL_INITRAM_NETWORK
	if [ ! -s "$KERNEL" ] || [ ! -s "$INITRD" ] || [ ! -f "$R/boot$ENTRY" ]; then
		t_fail "$mode: leapp upgrade left the upgrade kernel, initramfs and boot entry in /boot"
		return
	fi
	local opts
	opts=$(vm_entry_options "$R")
	for a in "$@"; do
		case " $opts " in *" $a "*) t_ok "$mode: the upgrade entry has $a" ;; *) t_fail "$mode: the upgrade entry has $a" "options: $opts" ;; esac
	done
	lsinitrd "$INITRD" >"$W/initrd-$mode.list" 2>/dev/null
	t_check "$mode: the upgrade initramfs has the leapp-network drop-in" grep -q "upgrade.service.d/50-leapp-network.conf" "$W/initrd-$mode.list"
	t_check "$mode: ... and a network handler of dracut's (dhclient, systemd-networkd or NetworkManager)" \
		grep -qE "sbin/dhclient$|systemd-networkd$|sbin/NetworkManager$" "$W/initrd-$mode.list"
	vm_log "$mode: network handler in the image: $(grep -oE 'sbin/dhclient$|systemd-networkd$|sbin/NetworkManager$' "$W/initrd-$mode.list" | sort -u | xargs)"
	vm_make_disk
	local console=$W/console-network-$mode.log fails=$T_FAILS
	VM_NIC="user,restrict=on,model=virtio-net-pci" vm_boot "$DISK" "$KERNEL" "$INITRD" "$opts root=$(vm_manifest "$OUT" .storage.root.device) console=ttyS0" "$console" 480 ''
	cp "$console" "$KEEP/console-network-$mode.log"
	vm_log "$mode: boot with the network: $VM_END after $VM_SECONDS s (upgrade.service started at $(vm_console_time "$console" 'system upgrade: starting') s on the kernel clock)"
	t_eq "$mode: the VM reboots when the upgrade is done (QEMU exits under -no-reboot)" exited "$VM_END"
	t_check "$mode: the console says finished, rebooting" grep -aq 'system upgrade: finished; rebooting' "$console"
	vm_fsck "$W"
	t_eq "$mode: the filesystems are clean after the reboot (e2fsck)" "" "$VM_FSCK"
	t_eq "$mode: /var/tmp/system-upgrade.state says finished" finished "$(vm_cat "$VM_ROOT_FS" /var/tmp/system-upgrade.state)"
	local j addr_line start_line
	j=$(vm_cat "$VM_ROOT_FS" /var/log/leapp/leapp-upgrade.log | sed -n '/==== journal of the upgrade initramfs/,$p')
	t_check "$mode: the journal of the initramfs is in leapp-upgrade.log" test -n "$j"
	addr_line=$(grep -anE "${want//./\\.}" <<<"$j" | head -1)
	t_check "$mode: the interface came up with $want" test -n "$addr_line"
	vm_log "$mode: address: ${addr_line#*:}"
	# upgrade.service logs the addresses (its ExecStartPre), then its script starts leapp
	start_line=$(grep -anE 'system upgrade: starting' <<<"$j" | head -1)
	t_check "$mode: ... before the upgrade started" test -n "$addr_line" -a -n "$start_line" -a "${addr_line%%:*}" -lt "${start_line%%:*}"
	t_check "$mode: network-online.target was reached" grep -aqE 'Reached target .*Network is Online' <<<"$j"
	[ "$T_FAILS" = "$fails" ] || vm_print_console "$KEEP/console-network-$mode.log"
}

for m in ${VM_NET_MODES:-network-manager scripts}; do
	case $m in
	network-manager) one_mode network-manager static_keyfile "$STATIC" rd.neednet=1 ;;
	scripts) one_mode scripts no_prepare 10.0.2.15 rd.neednet=1 ip=dhcp ;;
	esac
done
vm_done

#!/bin/bash
# The network in the upgrade initramfs, booted (issue 18, item 10). The demo system goes through
# leapp upgrade with upstream's experimental switch LEAPP_DEVEL_INITRAM_NETWORK=scripts (with
# LEAPP_UNSUPPORTED=1): the upgrade initramfs gets dracut's network modules, the upgrade entry
# rd.neednet=1 and ip=dhcp, and upgrade.service waits for the network. The VM has one NIC on
# QEMU's user-mode network with restrict=on (the guest can reach nothing beyond QEMU's own DHCP
# server; nothing is contacted). On the disk afterwards, the journal of the initramfs (appended to
# leapp-upgrade.log) shows the interface up with the address QEMU's DHCP gives (10.0.2.15) before
# upgrade.service started, and the upgrade finished as without the network. The upgrade without
# the switch (test-vm-upgrade.sh) has no network module and runs with -nic none.
#   VM_KEEP=1   keep the work directory ($T_BUILD/vm-test/network)
# san: skip (boots the plain build's image in QEMU for minutes; the sanitizers add nothing there)
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/vmlib.sh"

vm_start network "VM network test"
vm_tools_ok
export LEAPP_DEVEL_INITRAM_NETWORK=scripts
no_prepare() { :; }
vm_demo_upgrade no_prepare
unset LEAPP_DEVEL_INITRAM_NETWORK
RDEV=$(vm_manifest "$OUT" .storage.root.device)
if [ ! -s "$KERNEL" ] || [ ! -s "$INITRD" ] || [ ! -f "$R/boot$ENTRY" ]; then
	t_fail "leapp upgrade left the upgrade kernel, initramfs and boot entry in /boot"
	vm_done
fi
OPTS=$(vm_entry_options "$R")
for a in rd.neednet=1 ip=dhcp; do
	case " $OPTS " in *" $a "*) t_ok "the upgrade entry has $a" ;; *) t_fail "the upgrade entry has $a" "options: $OPTS" ;; esac
done
lsinitrd "$INITRD" >"$W/initrd.list" 2>/dev/null
t_check "the upgrade initramfs has the leapp-network drop-in" grep -q "upgrade.service.d/50-leapp-network.conf" "$W/initrd.list"
t_check "... and a network handler of dracut's (dhclient, systemd-networkd or NetworkManager)" \
	grep -qE "sbin/dhclient$|systemd-networkd$|sbin/NetworkManager$" "$W/initrd.list"
vm_log "network handler in the image: $(grep -oE 'sbin/dhclient$|systemd-networkd$|sbin/NetworkManager$' "$W/initrd.list" | sort -u | xargs)"
APPEND="$OPTS root=$RDEV console=ttyS0"
vm_make_disk

CONSOLE=$W/console-network.log
VM_NIC="user,restrict=on,model=virtio-net-pci" vm_boot "$DISK" "$KERNEL" "$INITRD" "$APPEND" "$CONSOLE" 480 ''
cp "$CONSOLE" "$KEEP/console-network.log"
FAILS_BEFORE=$T_FAILS
vm_log "boot with the network: $VM_END after $VM_SECONDS s (upgrade.service started at $(vm_console_time "$CONSOLE" 'system upgrade: starting') s on the kernel clock)"
t_eq "the VM reboots when the upgrade is done (QEMU exits under -no-reboot)" exited "$VM_END"
t_check "the console says finished, rebooting" grep -aq 'system upgrade: finished; rebooting' "$CONSOLE"
vm_fsck "$W"
t_eq "the filesystems are clean after the reboot (e2fsck)" "" "$VM_FSCK"
t_eq "/var/tmp/system-upgrade.state says finished" finished "$(vm_cat "$VM_ROOT_FS" /var/tmp/system-upgrade.state)"
J=$(vm_cat "$VM_ROOT_FS" /var/log/leapp/leapp-upgrade.log | sed -n '/==== journal of the upgrade initramfs/,$p')
t_check "the journal of the initramfs is in leapp-upgrade.log" test -n "$J"
# the address: dhclient-script, networkd or NetworkManager say it in their own words
addr_line=$(grep -anE '10\.0\.2\.15' <<<"$J" | head -1)
t_check "the interface came up with the address QEMU's DHCP gives (10.0.2.15)" test -n "$addr_line"
vm_log "address: ${addr_line#*:}"
start_line=$(grep -anE 'Starting .*[Uu]pgrade|system upgrade: starting' <<<"$J" | head -1)
t_check "... before upgrade.service started" test -n "$addr_line" -a -n "$start_line" -a "${addr_line%%:*}" -lt "${start_line%%:*}"
t_check "network-online.target was reached" grep -aqE 'Reached target .*Network is Online' <<<"$J"
[ "$T_FAILS" = "$FAILS_BEFORE" ] || vm_print_console "$KEEP/console-network.log"
vm_done

#!/bin/bash
# The real upgrade initramfs booted in a virtual machine (issue 11). The demo system (on ext4:
# tests/vm/vm-demo.yaml) goes through leapp preupgrade and leapp upgrade in the host-tools mode,
# then a disk image of its tree (MBR, /boot, / and swap with the UUIDs its fstab names) boots
# in QEMU (TCG) from the tree's /boot/vmlinuz-upgrade and initramfs-upgrade with the options
# of the upgrade boot entry, root= and console=ttyS0. Four boots of that disk:
#   break    rd.upgrade.break=leapp-pre-upgrade stops before leapp (seen on the console)
#   upgrade  upgrade.service runs the interim phases and reboots (QEMU exits, -no-reboot); on
#            the disk: the target packages in the rpmdb, the state file says finished, the
#            upgrade entry is gone, leapp_resume.service is installed, the audit store has
#            the interim phases committed
#   fail     a custom interim actor (repos.d, LateTests) made to fail by the kernel command
#            line: the failure flag, the state failed and the log with the journal on the disk
#   again    the failed disk booted again: the flag stops leapp, the VM reboots
# It fails, never skips, when something is missing or the VM does not boot; the console of a
# boot with a failed check is printed (and kept in $T_BUILD/vm-test/).
#   VM_KEEP=1   keep the work directory ($T_BUILD/vm-test/work: tree, disk images, logs)
# san: skip (boots the plain build's image in QEMU for minutes; the sanitizers add nothing there)
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/vmlib.sh"

vm_start work "VM test"
vm_tools_ok

# ---- the system, up to the reboot ----
# a custom actor of the admin's, in an interim phase: runs in the upgrade initramfs (from the
# disk's repos.d, with the image's sh and leapp-msg), fails when the kernel command line says so
custom_actor() {
	vm_shell_actor "$R" vm_test_interim LateTests '
case " $(cat /proc/cmdline) " in
*" leapp_vmtest_fail=1 "*)
	leapp-msg error "vm test: made to fail (leapp_vmtest_fail=1 on the kernel command line)"
	exit 1 ;;
esac
leapp-msg log info "vm test: the custom interim actor ran in the upgrade initramfs"'
}
vm_demo_upgrade custom_actor
RDEV=$(vm_manifest "$OUT" .storage.root.device)
if [ ! -s "$KERNEL" ] || [ ! -s "$INITRD" ] || [ ! -f "$R/boot$ENTRY" ]; then
	t_fail "leapp upgrade left the upgrade kernel, initramfs and boot entry in /boot" "$(ls -la "$R/boot" "$R/boot/loader/entries" 2>&1)"
	vm_done
fi
t_ok "leapp upgrade left the upgrade kernel, initramfs and boot entry in /boot"
OPTS=$(vm_entry_options "$R")
case " $OPTS " in
*" root=UUID=$RUUID "*) t_ok "the upgrade entry names the root filesystem by its UUID" ;;
*) t_fail "the upgrade entry names the root filesystem by its UUID" "options: $OPTS" ;;
esac
APPEND="$OPTS root=$RDEV console=ttyS0"
vm_log "kernel command line: $APPEND"
# without LEAPP_DEVEL_INITRAM_NETWORK nothing of the network goes in (check-vm-network.sh: with it)
lsinitrd "$INITRD" >"$W/initrd.list" 2>/dev/null
t_check "no network in the upgrade initramfs without the switch (no leapp-network, no network handler)" \
	bash -c '! grep -qE "50-leapp-network.conf|sbin/dhclient$|systemd-networkd$|sbin/NetworkManager$" "$1"' _ "$W/initrd.list"

vm_make_disk
PRISTINE=$W/pristine.img
cp --sparse=always "$DISK" "$PRISTINE"

# boot NAME TIMEOUT PATTERN EXTRA-ARGS: boot a fresh copy of the disk (NAME=again: the disk as
# the last boot left it)
boot() {
	local name=$1 timeout=$2 pattern=$3 extra=$4
	[ "$name" = again ] || cp --sparse=always "$PRISTINE" "$DISK"
	CONSOLE=$W/console-$name.log
	NAME=$name
	FAILS_BEFORE=$T_FAILS
	vm_boot "$DISK" "$KERNEL" "$INITRD" "$APPEND${extra:+ $extra}" "$CONSOLE" "$timeout" "$pattern"
	cp "$CONSOLE" "$KEEP/console-$name.log"
	cp "$CONSOLE.qemu" "$KEEP/console-$name.log.qemu" 2>/dev/null
	local s u
	s=$(vm_console_time "$CONSOLE" 'system upgrade: starting')
	u=$(vm_console_time "$CONSOLE" 'upgrade: leapp exited')
	vm_log "boot '$name': $VM_END after $VM_SECONDS s (kernel clock: upgrade.service started at ${s:-?} s, leapp done at ${u:-?} s)"
}
# boot_end: print the console of a boot with a failed check
boot_end() { [ "$T_FAILS" = "$FAILS_BEFORE" ] || vm_print_console "$KEEP/console-$NAME.log"; }
# booted: the VM reached upgrade.service (else the other boots are not worth their timeout)
booted() { grep -aq 'system upgrade: starting' "$CONSOLE"; }

# ---- break: rd.upgrade.break=leapp-pre-upgrade ----
VM_THEN='Entering emergency mode' boot break 240 'Break before leapp upgrade --resume' rd.upgrade.break=leapp-pre-upgrade
if booted; then t_ok "break: the VM boots the upgrade initramfs and starts upgrade.service"; else
	t_fail "break: the VM boots the upgrade initramfs and starts upgrade.service" "ended: $VM_END after $VM_SECONDS s"
fi
t_eq "break: stops at rd.upgrade.break=leapp-pre-upgrade (on the console)" matched "$VM_END"
if grep -aq 'Processing phase' "$CONSOLE"; then
	t_fail "break: leapp has not run at the break point"
else
	t_ok "break: leapp has not run at the break point"
fi
if grep -aA20 'Break before leapp upgrade --resume' "$CONSOLE" | grep -aq 'Entering emergency mode'; then
	t_ok "break: a shell waits on the console"
else
	t_fail "break: a shell waits on the console"
fi
boot_end
if ! booted; then
	for n in upgrade fail again; do t_fail "$n: not run, the VM does not boot the upgrade initramfs"; done
	vm_done
fi

# ---- upgrade: the interim phases, then the reboot ----
boot upgrade 420 '' ''
vm_log "boot to finished (QEMU started to QEMU exited after the guest's reboot): $VM_SECONDS s"
t_eq "upgrade: the VM reboots when the upgrade is done (QEMU exits under -no-reboot)" exited "$VM_END"
t_check "upgrade: the console says finished, rebooting" grep -aq 'system upgrade: finished; rebooting' "$CONSOLE"
vm_check_upgraded upgrade
log=$(vm_cat "$VM_ROOT_FS" /var/log/leapp/leapp-upgrade.log)
case "$log" in *"==== journal of the upgrade initramfs"*) t_ok "upgrade: the journal of the initramfs is in leapp-upgrade.log" ;;
*) t_fail "upgrade: the journal of the initramfs is in leapp-upgrade.log" ;;
esac
boot_end

# ---- fail: an interim actor fails ----
boot fail 240 '' leapp_vmtest_fail=1
t_check "fail: the console says the upgrade failed" grep -aq 'system upgrade: failed' "$CONSOLE"
t_eq "fail: the VM stops in the emergency shell (no reboot)" stuck "$VM_END"
vm_fsck "$W"
t_eq "fail: the filesystems are clean (e2fsck)" "" "$VM_FSCK"
t_eq "fail: /var/tmp/system-upgrade.state says failed" failed "$(vm_cat "$VM_ROOT_FS" /var/tmp/system-upgrade.state)"
flag=$(vm_cat "$VM_ROOT_FS" /var/lib/leapp/upgrade-initramfs.failed)
case "$flag" in "exit 1 at "*) t_ok "fail: the failure flag is on the disk ($flag)" ;;
*) t_fail "fail: the failure flag is on the disk" "flag: ${flag:-missing}" ;;
esac
log=$(vm_cat "$VM_ROOT_FS" /var/log/leapp/leapp-upgrade.log)
case "$log" in *"vm_test_interim"*"made to fail"*) t_ok "fail: leapp-upgrade.log names the failed actor" ;;
*) t_fail "fail: leapp-upgrade.log names the failed actor" ;;
esac
case "$log" in *"==== journal of the upgrade initramfs"*) t_ok "fail: the journal of the initramfs is in leapp-upgrade.log" ;;
*) t_fail "fail: the journal of the initramfs is in leapp-upgrade.log" ;;
esac
if vm_leapp_db "$VM_ROOT_FS" "$DB"; then
	ex=$(sqlite3 "$DB/leapp.db" "select max(id) from executions where kind = 'upgrade'")
	t_eq "fail: the audit store has the actor's run failed, uncommitted" "failed 0" \
		"$(sqlite3 -separator ' ' "$DB/leapp.db" "select status, committed from actor_runs where execution = $ex and actor = 'vm_test_interim' order by id desc limit 1")"
	t_eq "fail: the RPM upgrade did not start" 0 \
		"$(sqlite3 "$DB/leapp.db" "select count(*) from actor_runs where execution = $ex and phase = 'RPMUpgrade'")"
else
	t_fail "fail: the audit store read out of the image"
fi
boot_end

# ---- again: the failed disk booted again ----
boot again 180 '' ''
t_eq "again: the VM reboots without running leapp (QEMU exits)" exited "$VM_END"
t_check "again: the console says an earlier run failed" grep -aq 'an earlier run of the upgrade in this initramfs failed' "$CONSOLE"
if grep -aq 'Processing phase' "$CONSOLE"; then t_fail "again: leapp did not run"; else t_ok "again: leapp did not run"; fi
vm_fsck "$W"
t_eq "again: the state still says failed" failed "$(vm_cat "$VM_ROOT_FS" /var/tmp/system-upgrade.state)"
boot_end

vm_done

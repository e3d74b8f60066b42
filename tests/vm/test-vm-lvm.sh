#!/bin/bash
# The upgrade initramfs booted in a virtual machine on LVM (issue 18, item 3). The demo system
# installed the way anaconda lays out LVM (tests/vm/vm-demo-lvm.yaml): /boot on partition 1, the
# volume group vg0 on partition 2 with / (vg0-root), /usr on a volume of its own (vg0-usr) and
# swap (vg0-swap); fstab names /dev/mapper/vg0-root and /dev/mapper/vg0-usr, the kernel command
# line activates only vg0/root and vg0/swap (rd.lvm.lv=). Upstream's upgrade initramfs then
# leaves vg0/usr inactive and ends in the emergency shell (leapp-repository bug #1590); ours must
# activate it (storage_initramfs_setup: rd.lvm.lv= for every volume fstab's filesystems need),
# mount /usr and finish.
#   checks: the upgrade entry's rd.lvm.lv=, the initramfs (dracut's lvm, the system's lvm.conf,
#   the /usr mount unit), one boot to the guest's reboot, then on the disk everything the VM test
#   checks after its upgrade boot (vm_check_upgraded: the rpmdb on / against the plan, the audit
#   store...) with /usr read from the vg0-usr volume: the target packages' files under /usr are
#   there and the mount point on / stayed empty (nothing was written beside the volume).
# The host has no device-mapper: lvm2 lays the volumes out on a loop device of a file without
# activating them and the filesystems are written at their offsets (vmlib.sh: vm_lvm_layout,
# vm_disk_lvm). Fails, never skips, when something is missing or the VM does not boot.
#   VM_KEEP=1   keep the work directory ($T_BUILD/vm-test/lvm)
# long: make vm-lvm (not in make check, whose time it would exceed; tests/run-tests runs it with T_LONG=1)
# san: skip (boots the plain build's image in QEMU for minutes; the sanitizers add nothing there)
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/vmlib.sh"

VG=vg0
USR_MIB=1536

vm_start lvm "VM LVM test"
extra=""
command -v lvm >/dev/null 2>&1 || extra="lvm (lvm2)"
command -v losetup >/dev/null 2>&1 || extra="$extra losetup (mount)"
vm_tools_ok "$extra"

# ---- the system on LVM, up to the reboot ----
lvm_system() {
	# fstab's / as anaconda writes it on LVM (mksysroot names / by its UUID)
	sed -i "s|^UUID=$RUUID /|/dev/mapper/$VG-root /|" "$R/etc/fstab"
	# udev's link of /boot's UUID, as the running system's /dev has it: storage_initramfs_setup
	# follows it to tell that /boot is no volume (without it, it cannot tell, and drops every
	# rd.lvm.lv= so that dracut activates all volumes)
	mkdir -p "$R/dev/disk/by-uuid"
	ln -sfn ../../vda1 "$R/dev/disk/by-uuid/$(vm_manifest "$OUT" .storage.boot.uuid)"
	# the volumes laid out now: the tree's /etc/lvm/backup/vg0 is there for preupgrade
	if ! vm_lvm_layout "$R" "$W/disk" "$VG" /dev/vda2 "root:$(vm_manifest "$OUT" .storage.root.size_mib)" \
		"usr:$USR_MIB" "swap:$(vm_manifest "$OUT" .storage.swap.size_mib)"; then
		t_fail "lvm2 lays out $VG (vm_lvm_layout)"
		vm_done
	fi
	t_ok "lvm2 lays out $VG without device-mapper: $(awk '$1 != "vg" {printf "%s%s %.0f MiB at %.0f", n++ ? ", " : "", $1, $3 / 1048576, $2}' "$W/disk/layout")"
}
VM_DEMO_SPEC=tests/vm/vm-demo-lvm.yaml vm_demo_upgrade lvm_system
RDEV=$(vm_manifest "$OUT" .storage.root.device)
t_eq "the tree's fstab: / and /usr on $VG" "/dev/mapper/$VG-root / /dev/mapper/$VG-usr /usr" \
	"$(awk '$2 == "/" || $2 == "/usr" {print $1, $2}' "$R/etc/fstab" | paste -sd' ')"
t_check "the metadata backup is in the tree (/etc/lvm/backup/$VG)" grep -q "^$VG {" "$R/etc/lvm/backup/$VG"
if [ ! -s "$KERNEL" ] || [ ! -s "$INITRD" ] || [ ! -f "$R/boot$ENTRY" ]; then
	t_fail "leapp upgrade left the upgrade kernel, initramfs and boot entry in /boot" "$(ls -la "$R/boot" "$R/boot/loader/entries" 2>&1)"
	vm_done
fi
OPTS=$(vm_entry_options "$R")
t_eq "the system's kernel command line activates only root and swap" "rd.lvm.lv=$VG/root rd.lvm.lv=$VG/swap" \
	"$(tr ' ' '\n' <"$R/proc/cmdline" | grep '^rd\.lvm\.lv=' | paste -sd' ')"
t_eq "the upgrade entry activates root, swap and usr" "rd.lvm.lv=$VG/root rd.lvm.lv=$VG/swap rd.lvm.lv=$VG/usr" \
	"$(echo "$OPTS" | tr ' ' '\n' | grep '^rd\.lvm\.lv=' | paste -sd' ')"

# the image: dracut's lvm, the system's lvm.conf, the /usr mount unit before upgrade.target
lsinitrd "$INITRD" >"$W/initrd.list" 2>/dev/null
for f in /lvm_scan /64-lvm.rules /dm-mod.ko upgrade.target.requires/sysroot-usr.mount; do
	t_check "the upgrade initramfs has $f" grep -q -- "$f" "$W/initrd.list"
done
t_check "the upgrade initramfs has lvm" grep -qE ' (usr/)?s?bin/lvm$' "$W/initrd.list"
t_eq "the upgrade initramfs has the system's lvm.conf" "$(cat "$R/etc/lvm/lvm.conf")" "$(lsinitrd -f etc/lvm/lvm.conf "$INITRD" 2>/dev/null)"
APPEND="$OPTS root=$RDEV console=ttyS0"
vm_log "kernel command line: $APPEND"

vm_make_disk vm_disk_lvm
PRISTINE=$W/pristine.img
cp --sparse=always "$DISK" "$PRISTINE"

# boot NAME TIMEOUT APPEND: boot a fresh copy of the disk
boot() {
	local name=$1 timeout=$2 append=$3 s u
	cp --sparse=always "$PRISTINE" "$DISK"
	CONSOLE=$W/console-$name.log
	NAME=$name
	FAILS_BEFORE=$T_FAILS
	vm_boot "$DISK" "$KERNEL" "$INITRD" "$append" "$CONSOLE" "$timeout"
	cp "$CONSOLE" "$KEEP/console-$name.log"
	cp "$CONSOLE.qemu" "$KEEP/console-$name.log.qemu" 2>/dev/null
	s=$(vm_console_time "$CONSOLE" 'system upgrade: starting')
	u=$(vm_console_time "$CONSOLE" 'upgrade: leapp exited')
	vm_log "boot '$name': $VM_END after $VM_SECONDS s (kernel clock: upgrade.service started at ${s:-?} s, leapp done at ${u:-?} s)"
}
boot_end() { [ "$T_FAILS" = "$FAILS_BEFORE" ] || vm_print_console "$KEEP/console-$NAME.log"; }

# ---- upstream: the entry without vg0/usr (what upstream's bug #1590 boots) must not upgrade ----
# the control that the disk needs the volume activated: systemd times out waiting for
# /dev/mapper/vg0-usr, sysroot-usr.mount and upgrade.service fail, the emergency shell
boot upstream 400 "$(echo "$APPEND" | sed "s| rd\.lvm\.lv=$VG/usr||")"
if grep -aq 'system upgrade: finished' "$CONSOLE"; then
	t_fail "upstream: without rd.lvm.lv=$VG/usr the upgrade does not finish" "ended: $VM_END after $VM_SECONDS s"
else
	t_ok "upstream: without rd.lvm.lv=$VG/usr the upgrade does not finish ($VM_END after $VM_SECONDS s)"
fi
t_eq "upstream: the VM stops in the emergency shell" stuck "$VM_END"
# console_has REGEXP: the console, without systemd's colours, has a line matching REGEXP
console_has() { sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g' "$CONSOLE" | grep -aqE "$1"; }
t_check "upstream: the console says /sysroot/usr could not be mounted" console_has 'Dependency failed for sysroot-usr\.mount'
t_check "upstream: the console says systemd waited for /dev/mapper/$VG-usr" console_has "Timed out waiting for device.*/dev/mapper/$VG-usr"
boot_end

# ---- the upgrade boot ----
boot lvm 600 "$APPEND"
t_eq "lvm: the VM reboots when the upgrade is done (QEMU exits under -no-reboot)" exited "$VM_END"
t_check "lvm: the console says finished, rebooting" grep -aq 'system upgrade: finished; rebooting' "$CONSOLE"
vm_check_upgraded lvm
t_eq "lvm: /usr's mount point on / stayed empty (the upgrade wrote into the volume)" "" \
	"$(debugfs -R 'ls /usr' "$VM_ROOT_FS" 2>/dev/null | tr -s ' ' '\n' | grep -vE '^$|^\(|^[0-9]+$|^\.\.?$' | head -5 | paste -sd' ')"
# the target packages' files below /usr (ghosts aside: flag 64) are on the vg0-usr volume
if [ -s "$W/rpmdb.after" ]; then
	rpm --dbpath "$DB/rpm" -qa --qf '[%{FILEFLAGS} %{FILENAMES}\n]' 2>/dev/null |
		awk 'int($1 / 64) % 2 == 0 && $2 ~ "^/usr/" {print substr($2, 5)}' | sort -u >"$W/usr-files"
	sed 's/.*/stat "&"/' "$W/usr-files" >"$W/usr-stat.cmd"
	n=$(wc -l <"$W/usr-files")
	found=$(DEBUGFS_PAGER=__none__ debugfs -f "$W/usr-stat.cmd" "$VM_USR_FS" 2>/dev/null | grep -c '^Inode:')
	t_eq "lvm: the $n files of the installed packages below /usr are on $VG-usr" "$n" "$found"
	t_check "lvm: there are such files ($n)" test "$n" -ge 50
else
	t_fail "lvm: the files below /usr checked (no rpmdb read back)"
fi
log=$(vm_cat "$VM_ROOT_FS" /var/log/leapp/leapp-upgrade.log)
case "$log" in *"==== journal of the upgrade initramfs"*) t_ok "lvm: the journal of the initramfs is in leapp-upgrade.log" ;;
*) t_fail "lvm: the journal of the initramfs is in leapp-upgrade.log" ;;
esac
case "$log" in *"sysroot-usr.mount"*) t_ok "lvm: the journal shows sysroot-usr.mount" ;;
*) t_fail "lvm: the journal shows sysroot-usr.mount" ;;
esac
boot_end

vm_done

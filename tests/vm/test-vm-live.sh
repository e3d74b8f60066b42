#!/bin/bash
# The live image (issue 10, live mode) booted in a virtual machine (issue 11). The demo system on
# ext4 (tests/vm/vm-demo.yaml) goes through leapp preupgrade and leapp upgrade
# --enable-experimental-feature livemode in the host-tools mode: the target userspace, with this
# machine's systemd, udev, util-linux, coreutils and leapp's libraries put in
# (livemode/files/host-runtime.sh), squashed into /var/lib/leapp/live-upgrade.img, and a
# dmsquash-live initramfs. A disk image of the tree boots in QEMU (TCG) from the tree's
# /boot/vmlinuz-upgrade and initramfs-upgrade with the options of the upgrade boot entry
# (root=live:UUID=... of the image's filesystem), rd.live.overlay.overlayfs=1 (Debian's dracut
# 059 needs it) and console=ttyS0: the live system (the target
# release's os-release, systemd from this machine) mounts the system at /sysroot, its
# upgrade.service runs leapp upgrade --resume --root /sysroot (the interim phases, the RPM
# transaction) and reboots, which ends QEMU (-no-reboot). On the disk then: what the initramfs
# test checks of an upgraded disk (vm_check_upgraded), the live image's journal in
# leapp-upgrade.log, and the image still there (FirstBoot removes it).
# It fails, never skips, when something is missing or the VM does not boot; the console of a
# failed boot is printed (and kept in $T_BUILD/vm-test/console-live.log).
#   VM_KEEP=1   keep the work directory ($T_BUILD/vm-test/live: tree, disk image, logs)
# san: skip (boots the plain build's image in QEMU for minutes; the sanitizers add nothing there)
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/vmlib.sh"

vm_start live "live VM test"
IMAGE=/var/lib/leapp/live-upgrade.img
extra=""
command -v mksquashfs >/dev/null 2>&1 || extra="$extra mksquashfs (squashfs-tools)"
[ -d /usr/lib/dracut/modules.d/90dmsquash-live ] || extra="$extra dmsquash-live (dracut-live)"
vm_tools_ok "${extra# }"

# ---- the system, up to the reboot into the live image ----
# the squashfs compressed with lz4 (faster to make than mksquashfs's default gzip)
lz4_image() {
	mkdir -p "$R/etc/leapp/actor_conf.d"
	printf 'livemode_image:\n  mksquashfs_args: ["-comp", "lz4"]\n' >"$R/etc/leapp/actor_conf.d/vm-test.yaml"
}
vm_demo_upgrade lz4_image --enable-experimental-feature livemode
if [ ! -s "$R$IMAGE" ] || [ ! -s "$KERNEL" ] || [ ! -s "$INITRD" ] || [ ! -f "$R/boot$ENTRY" ]; then
	t_fail "leapp upgrade left the live image, the kernel, the live initramfs and the boot entry" \
		"$(ls -la "$R/var/lib/leapp" "$R/boot" "$R/boot/loader/entries" 2>&1)"
	vm_done
fi
t_ok "leapp upgrade left the live image ($(($(stat -c %s "$R$IMAGE") / 1048576)) MiB), the kernel, the live initramfs and the boot entry"
OPTS=$(vm_entry_options "$R")
case " $OPTS " in
*" root=live:UUID=$RUUID rd.live.dir=/var/lib/leapp rd.live.squashimg=live-upgrade.img "*) t_ok "the upgrade entry boots the live image on the root filesystem" ;;
*) t_fail "the upgrade entry boots the live image on the root filesystem" "options: $OPTS" ;;
esac
# the entry's arguments as they are (root=live:UUID=... finds the disk by itself), plus:
# rd.live.overlay.overlayfs=1, which this machine's dracut (059) needs to boot a squashfs that
# is the root tree itself (without it its sysroot.mount fails: livemode/README.md, "The boot");
# the serial console, and the journal on it: the upgrade's output (upgrade.service logs to the
# journal, the live system shows it on tty1) in the console file
APPEND="$OPTS rd.live.overlay.overlayfs=1 console=ttyS0 systemd.journald.forward_to_console=1"
vm_log "kernel command line: $APPEND"
vm_make_disk

# ---- the live boot: the interim phases in the live system, then the reboot ----
CONSOLE=$W/console-live.log
FAILS_BEFORE=$T_FAILS
vm_boot "$DISK" "$KERNEL" "$INITRD" "$APPEND" "$CONSOLE" 600
cp "$CONSOLE" "$KEEP/console-live.log"
cp "$CONSOLE.qemu" "$KEEP/console-live.log.qemu" 2>/dev/null
s=$(vm_console_time "$CONSOLE" 'upgrade: starting')
u=$(vm_console_time "$CONSOLE" 'upgrade: leapp exited')
vm_log "live boot: $VM_END after $VM_SECONDS s (kernel clock: upgrade.service started at ${s:-?} s, leapp done at ${u:-?} s)"
vm_log "boot to finished (QEMU started to QEMU exited after the guest's reboot): $VM_SECONDS s"
TNAME=$(sed -n 's/^PRETTY_NAME=//p' "$R/var/lib/leapp/el9userspace/usr/lib/os-release" 2>/dev/null | tr -d '"')
t_check "live: the live system boots the target userspace (\"Welcome to ...${TNAME:-9}\" on the console)" \
	grep -aqE "Welcome to .*${TNAME:-9}" "$CONSOLE"
t_check "live: its upgrade.service starts" grep -aqE 'Start(ing|ed) upgrade\.service' "$CONSOLE"
t_eq "live: the VM reboots when the upgrade is done (QEMU exits under -no-reboot)" exited "$VM_END"
vm_check_upgraded live
log=$(vm_cat "$VM_ROOT_FS" /var/log/leapp/leapp-upgrade.log)
case "$log" in *"==== journal of the live upgrade system"*"upgrade: leapp exited with 0"*)
	t_ok "live: the live system's journal, up to leapp's exit, is in leapp-upgrade.log" ;;
*) t_fail "live: the live system's journal, up to leapp's exit, is in leapp-upgrade.log" ;;
esac
# the live system has this machine's dracut (host-runtime.sh): Finalization built the target
# kernel's initramfs in the VM (the upgrade initramfs has no dracut to do it with)
isize=$(debugfs -R "stat /initramfs-$KVER.img" "$VM_BOOT_FS" 2>/dev/null | sed -n 's/.*Size: \([0-9]*\).*/\1/p' | head -1)
if [ "${isize:-0}" -gt 1048576 ]; then
	t_ok "live: the target kernel's initramfs was built in the live system (/boot/initramfs-$KVER.img, $((isize / 1048576)) MiB)"
else
	t_fail "live: the target kernel's initramfs was built in the live system" "/boot/initramfs-$KVER.img: ${isize:-missing} bytes"
fi
t_check "live: ... by target_initramfs_generator with the live system's dracut" grep -aq "target_initramfs_generator: /boot/initramfs-$KVER.img: .* MiB in" <<<"$log"
t_check "live: the image is still on the disk (FirstBoot removes it)" vm_exists "$VM_ROOT_FS" "$IMAGE"
[ "$T_FAILS" = "$FAILS_BEFORE" ] || vm_print_console "$KEEP/console-live.log"

vm_done

#!/bin/bash
# The live image's upgrade script (livemode/files/upgrade.sh, /usr/bin/upgrade in the image) and
# units, with the commands that touch the machine stubbed: /sysroot checked and made read-write,
# /proc /sys /dev /run bound in and undone, SELinux permissive during leapp (enforcing=1 keeps
# it), leapp's command line and environment, the state file, the journal appended to the log,
# the failure flag and what it prevents, /sysroot/.noreboot, upgrade.debug, the strace variant;
# a failure with a complete snapshot set: the upgrade initramfs's rollback (the same file), then the reboot;
# the system's kernel command line shown to the scriptlets; the units pass systemd-analyze verify and say what the issue asks (journal, the autostart and
# strace conditions, tail -f on tty1).
. "$(dirname "$0")/../../tests/lib.sh"

F=$T_TOP/livemode/files
S=$(t_tmpdir)
mkdir -p "$S/stubs"
for c in mount umount systemctl reboot lvm; do
	printf '#!/bin/sh\necho "%s $*" >>"$CALLS"\nexit 0\n' "$c" >"$S/stubs/$c"
done
printf '#!/bin/sh\necho "journalctl $*" >>"$CALLS"\necho "Nov 22 upgrade.service: the journal of the live system"\n' >"$S/stubs/journalctl"
cat >"$S/stubs/leapp" <<'SH'
#!/bin/sh
echo "leapp $* | DATADIR=$LEAPP_DATADIR ACTORS=$LEAPP_ACTORS_DIR | state=$(cat "$NEWROOT/var/tmp/system-upgrade.state") | enforce=$(cat "$SELINUXFS/enforce")" >>"$CALLS"
echo "leapp's own log line" >>"$NEWROOT/var/log/leapp/leapp-upgrade.log"
exit "${LEAPP_STUB_RC:-0}"
SH
cat >"$S/stubs/strace" <<'SH'
#!/bin/sh
echo "strace $*" >>"$CALLS"
while [ $# -gt 1 ]; do case $1 in -o) shift; : >"$1" ;; esac; shift; done
exec sh "$1"
SH
chmod +x "$S/stubs"/*

# a system mounted at $S/sysroot (mountinfo OPTS), SELinux enforcing
mk() {
	rm -rf "$S/sysroot" "$S/proc" "$S/selinux"
	mkdir -p "$S/sysroot/var/tmp" "$S/sysroot/var/lib/leapp" "$S/sysroot/var/log/leapp" "$S/proc/self" "$S/selinux"
	echo "40 30 253:2 / $S/sysroot ${1:-rw,relatime} shared:1 - xfs /dev/vda2 rw" >"$S/proc/self/mountinfo"
	echo 1 >"$S/selinux/enforce"
	: >"$S/calls"
}
# run CMDLINE [LEAPP_RC] [ARGS]: the script as upgrade.service runs it
run() {
	echo "BOOT_IMAGE=/vmlinuz-upgrade.x86_64 rw root=live:UUID=x $1" >"$S/proc/cmdline"
	OUT=$(CALLS=$S/calls LEAPP_STUB_RC=${2:-0} SELINUXFS=$S/selinux PATH=$S/stubs:$PATH NEWROOT=$S/sysroot \
		UPGRADE_PROC=$S/proc UPGRADE_SELINUXFS=$S/selinux UPGRADE_LEAPP=$S/stubs/leapp UPGRADE_DATADIR=/usr/share/leapp \
		UPGRADE_STRACE=$S/stubs/strace UPGRADE_SYSTEM_CMDLINE=${SYSCMD:-/nonexistent} UPGRADE_MOUNT_LIB=$T_TOP/actors/lib/boot/upgrade-mount-lib.sh \
		UPGRADE_ROLLBACK_LIB=$T_TOP/initramfs/85sys-upgrade-redhat/upgrade-rollback.sh sh "$F/upgrade.sh" ${3:-} 2>&1)
	RC=$?
}
calls() { cat "$S/calls"; }
state() { cat "$S/sysroot/var/tmp/system-upgrade.state" 2>/dev/null; }

# ---- success ----
mk
run ""
t_eq "success: exit 0" 0 "$RC"
t_eq "leapp of the image, its tree, against /sysroot, state running, SELinux permissive" \
	"leapp upgrade --resume --root $S/sysroot | DATADIR=/usr/share/leapp ACTORS=/usr/share/leapp/actors | state=running | enforce=0" \
	"$(grep '^leapp ' "$S/calls")"
t_eq "state: finished" finished "$(state)"
t_eq "the binds for the scriptlets, made and undone, then the reboot" \
	"mount --rbind /proc $S/sysroot/proc
mount --make-rslave $S/sysroot/proc
mount --rbind /sys $S/sysroot/sys
mount --make-rslave $S/sysroot/sys
mount --rbind /dev $S/sysroot/dev
mount --make-rslave $S/sysroot/dev
mount --rbind /run $S/sysroot/run
mount --make-rslave $S/sysroot/run
umount -R $S/sysroot/run
umount -R $S/sysroot/dev
umount -R $S/sysroot/sys
umount -R $S/sysroot/proc
systemctl --no-block reboot" "$(grep -E '^(mount|umount|systemctl|reboot)' "$S/calls")"
t_eq "SELinux restored" 1 "$(cat "$S/selinux/enforce")"
t_check "the journal of the boot appended to leapp's log, after leapp's lines" bash -c \
	"sed -n '1p' '$S/sysroot/var/log/leapp/leapp-upgrade.log' | grep -qx \"leapp's own log line\" && sed -n '2p' '$S/sysroot/var/log/leapp/leapp-upgrade.log' | grep -q '^==== journal of the live upgrade system' && grep -q 'journal of the live system' '$S/sysroot/var/log/leapp/leapp-upgrade.log'"
t_check "journalctl: this boot, all of it" grep -qx "journalctl -a -b --no-pager -o short-monotonic" "$S/calls"
t_check "no failure flag" test ! -e "$S/sysroot/var/lib/leapp/upgrade-initramfs.failed"

# ---- read-only /sysroot; debug; enforcing=1 ----
mk "ro,relatime"
run "upgrade.debug enforcing=1"
t_check "a read-only /sysroot is made read-write" grep -qx "mount -o remount,rw $S/sysroot" "$S/calls"
t_check "upgrade.debug: leapp --debug" grep -q "^leapp upgrade --resume --root $S/sysroot --debug |" "$S/calls"
t_check "enforcing=1: SELinux stays enforcing" grep -q "enforce=1$" "$S/calls"

# ---- the system's kernel command line over /sysroot/proc/cmdline ----
mk
echo "BOOT_IMAGE=(hd0)/vmlinuz root=UUID=1 ro" >"$S/system-cmdline"
SYSCMD=$S/system-cmdline run ""
SYSCMD=
t_eq "the system's kernel command line is bound over /sysroot/proc/cmdline, after /proc" \
	"mount --rbind /proc $S/sysroot/proc|mount --bind $S/system-cmdline $S/sysroot/proc/cmdline" \
	"$(grep -E "^mount --rbind /proc|^mount --bind" "$S/calls" | paste -sd'|')"
t_check "... and goes with /proc" grep -qx "umount -R $S/sysroot/proc" "$S/calls"

# ---- .noreboot ----
mk
: >"$S/sysroot/.noreboot"
run ""
t_eq "/sysroot/.noreboot: exit 0" 0 "$RC"
t_check "... and no reboot" bash -c "! grep -q 'reboot' '$S/calls'"

# ---- failure, then the flag ----
mk
run "" 3
t_eq "leapp fails: exit 1" 1 "$RC"
t_eq "... state failed" failed "$(state)"
t_check "... the flag says how leapp exited" grep -q "^exit 3 at " "$S/sysroot/var/lib/leapp/upgrade-initramfs.failed"
t_check "... no reboot: the live system stays up" bash -c "! grep -q reboot '$S/calls'"
t_check "... the binds undone" grep -qx "umount -R $S/sysroot/proc" "$S/calls"
t_check "... the journal saved" grep -q "journal of the live system" "$S/sysroot/var/log/leapp/leapp-upgrade.log"
: >"$S/calls"
run ""
t_eq "started again with the flag: exit 1" 1 "$RC"
t_check "... leapp does not run" bash -c "! grep -q '^leapp ' '$S/calls'"
t_check "... and says how to try again" grep -q "remove /var/lib/leapp/upgrade-initramfs.failed" <<<"$OUT"
rm "$S/sysroot/var/lib/leapp/upgrade-initramfs.failed"
: >"$S/calls"
run ""
t_eq "the flag removed: it runs again" "0 1" "$RC $(grep -c '^leapp ' "$S/calls")"

# ---- failure with a complete snapshot set: the rollback, then the reboot ----
mk_set() {
	local set=$S/sysroot/var/lib/leapp/snapshots
	mkdir -p "$set/boot/loader/entries" "$set/boot/grub2" "$S/sysroot/boot/loader/entries" "$S/sysroot/boot/grub2"
	echo "title el9" >"$S/sysroot/boot/loader/entries/abc-5.14.0.conf"
	echo "title el8" >"$set/boot/loader/entries/abc-4.18.0.conf"
	echo "saved_entry=abc-4.18.0" >"$set/boot/grub2/grubenv"
	printf 'vg0/root_leapp_rollback\nvg0/var_leapp_rollback\n' >"$set/lvs.txt"
	echo rollback >"$set/on-failure"
	echo '{}' >"$set/manifest.json"
}
mk; mk_set
run "" 3
t_eq "leapp fails with a set: each snapshot merged by argv, after the binds are undone, then the reboot" \
	"umount -R $S/sysroot/proc|lvm lvconvert --merge -y vg0/root_leapp_rollback|lvm lvconvert --merge -y vg0/var_leapp_rollback|systemctl --no-block reboot" \
	"$(grep -E '^(umount -R .*/proc|lvm|systemctl|reboot)' "$S/calls" | tr '\n' '|' | sed 's/|$//')"
t_eq "... exit 1 (the upgrade failed)" 1 "$RC"
t_check "... it says so" grep -q "failed (exit 3) and rolled back to the snapshots; rebooting" <<<"$OUT"
t_check "... the reason names the live image" grep -q "the upgrade failed in the live upgrade image (exit 3)" "$S/sysroot/boot/leapp-rollback/reason"
t_check "... the log, with the journal, kept on /boot" grep -q "journal of the live system" "$S/sysroot/boot/leapp-rollback/log/leapp-upgrade.log"
t_eq "... /boot's entries put back" "abc-4.18.0.conf" "$(ls "$S/sysroot/boot/loader/entries")"
mk; mk_set
run "rd.upgrade.rollback=0" 3
t_check "rd.upgrade.rollback=0: no merge, no reboot" bash -c "! grep -qE '^(lvm|systemctl|reboot)' '$S/calls'"
mk; mk_set
touch "$S/sysroot/.noreboot"
run "" 3
t_check "/sysroot/.noreboot: merged, no reboot" bash -c "grep -q '^lvm lvconvert' '$S/calls' && ! grep -qE '^(systemctl|reboot)' '$S/calls'"
mk; mk_set
run "" 0
t_check "success with a set: no merge" bash -c "! grep -q '^lvm' '$S/calls' && grep -q '^systemctl --no-block reboot' '$S/calls'"

# ---- /sysroot not mounted ----
mk
echo "1 0 8:1 / / rw - ext4 /dev/sda1 rw" >"$S/proc/self/mountinfo"
run ""
t_eq "/sysroot not mounted: exit 1" 1 "$RC"
t_check "... leapp does not run" bash -c "! grep -q '^leapp ' '$S/calls'"
t_check "... and says so" grep -q "is not mounted" <<<"$OUT"
t_check "... no flag (leapp never ran)" test ! -e "$S/sysroot/var/lib/leapp/upgrade-initramfs.failed"

# ---- the strace variant ----
mk
run "upgrade.strace=/var/lib/leapp/upgrade.strace" 0 --strace
t_eq "--strace: exit 0" 0 "$RC"
t_check "... strace of the whole upgrade into /sysroot/<file>" grep -qx \
	"strace -f -tt -s 256 -o $S/sysroot/var/lib/leapp/upgrade.strace $F/upgrade.sh" "$S/calls"
t_check "... which ran leapp" grep -q "^leapp upgrade --resume" "$S/calls"
t_check "... the file is there" test -e "$S/sysroot/var/lib/leapp/upgrade.strace"

# ---- the units ----
key() { sed -n "s/^$2=//p" "$F/$1" | paste -sd' '; }
t_eq "upgrade.service: runs the script, into the journal" "/usr/bin/upgrade journal journal" \
	"$(key upgrade.service ExecStart) $(key upgrade.service StandardOutput) $(key upgrade.service StandardError)"
t_eq "upgrade.service: not with upgrade.autostart=0, nor with upgrade.strace" "!upgrade.autostart=0 !upgrade.strace" \
	"$(key upgrade.service ConditionKernelCommandLine)"
t_eq "upgrade-strace.service: the same under strace, only with upgrade.strace" \
	"/usr/bin/upgrade --strace|!upgrade.autostart=0 upgrade.strace" \
	"$(key upgrade-strace.service ExecStart)|$(key upgrade-strace.service ConditionKernelCommandLine)"
t_eq "console.service: tail -f of the upgrade log on tty1" \
	"/usr/bin/tail -n 40 -f /sysroot/var/log/leapp/leapp-upgrade.log|tty|/dev/tty1|getty@tty1.service autovt@tty1.service" \
	"$(key console.service ExecStart)|$(key console.service StandardOutput)|$(key console.service TTYPath)|$(key console.service Conflicts)"
if command -v systemd-analyze >/dev/null; then
	U=$(t_tmpdir)
	cp "$F/upgrade.service" "$F/upgrade-strace.service" "$F/console.service" "$U/"
	printf '#!/bin/sh\n' >"$U/upgrade"
	chmod +x "$U/upgrade"
	sed -i "s|/usr/bin/upgrade|$U/upgrade|" "$U/upgrade.service" "$U/upgrade-strace.service"
	out=$(cd "$U" && systemd-analyze verify --man=no "$U/upgrade.service" "$U/upgrade-strace.service" "$U/console.service" 2>&1)
	t_eq "systemd-analyze verify: no complaint about the units" "" "$out"
fi
command -v shellcheck >/dev/null && t_check "shellcheck: the script" shellcheck -s sh "$F/upgrade.sh"
t_done

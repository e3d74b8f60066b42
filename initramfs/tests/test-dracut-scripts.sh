#!/bin/bash
# The scripts of the dracut modules (90sys-upgrade's upgrade.sh and generator, 85sys-upgrade-
# redhat's hooks) against a tree, with dracut's library and the commands that touch the
# machine stubbed: the state file, the mounts made and undone, leapp's command line, SELinux,
# the journal saved, the failure flag and what it prevents, rd.upgrade.break and
# rd.upgrade.debug, the reboot.
. "$(dirname "$0")/../../tests/lib.sh"

M90=$T_TOP/initramfs/90sys-upgrade
M85=$T_TOP/initramfs/85sys-upgrade-redhat
S=$(t_tmpdir)

# ---- stubs ----
mkdir -p "$S/stubs" "$S/hooks/upgrade-pre" "$S/hooks/upgrade" "$S/hooks/upgrade-post"
ln -s "$M85/upgrade-mount.sh" "$S/hooks/upgrade-pre/50-upgrade-mount.sh"
ln -s "$M85/do-upgrade.sh" "$S/hooks/upgrade/50-do-upgrade.sh"
ln -s "$M85/upgrade-finish.sh" "$S/hooks/upgrade-post/50-upgrade-finish.sh"
for c in mount umount systemctl reboot; do
	printf '#!/bin/sh\necho "%s $*" >>"$CALLS"\ncase " $* " in *" $FAIL_MOUNT "*) exit 32 ;; esac\nexit 0\n' "$c" >"$S/stubs/$c"
done
printf '#!/bin/sh\nexit 0\n' >"$S/stubs/sync"
printf '#!/bin/sh\necho "journalctl $*" >>"$CALLS"\necho "Nov 22 upgrade.service: the journal of the upgrade initramfs"\n' >"$S/stubs/journalctl"
cat >"$S/stubs/leapp" <<'SH'
#!/bin/sh
echo "leapp $* | DATADIR=$LEAPP_DATADIR ACTORS=$LEAPP_ACTORS_DIR | state=$(cat "$NEWROOT/var/tmp/system-upgrade.state") | enforce=$(cat "$UPGRADE_SELINUXFS/enforce")" >>"$CALLS"
exit "${LEAPP_STUB_RC:-0}"
SH
chmod +x "$S/stubs"/*
cat >"$S/dracut-lib.sh" <<'SH'
# dracut-lib.sh stand-in: the kernel command line is $CMDLINE
getarg() {
	for a in $CMDLINE; do
		case "$1" in
			*=*) [ "$a" = "$1" ] && return 0 ;;
			*) case "$a" in "$1"=*) echo "${a#*=}"; return 0 ;; "$1") return 0 ;; esac ;;
		esac
	done
	return 1
}
getargbool() {
	v=$(getarg "$2") || return $(( $1 == 0 ))
	case "$v" in 0|no|off) return 1 ;; esac
	return 0
}
info() { echo "info: $*" >>"$CALLS"; }
warn() { echo "warn: $*" >>"$CALLS"; }
emergency_shell() { echo "emergency_shell $2" >>"$CALLS"; }
source_hook() { for f in "$HOOKS/$1"/*.sh; do [ -e "$f" ] && . "$f"; done; }
SH

# a system: the root mounted read-only, an fstab with what the hook must mount and skip
mk_sysroot() {
	rm -rf "$S/sysroot" "$S/proc" "$S/selinux" "$S/run"
	mkdir -p "$S/sysroot/etc" "$S/sysroot/var/tmp" "$S/sysroot/var/lib/leapp" "$S/proc/self" "$S/selinux"
	cat >"$S/sysroot/etc/fstab" <<FSTAB
# comment
UUID=1111 /                       xfs     defaults        0 0
UUID=2222 /boot                   xfs     defaults        0 0
UUID=3333 /var/log                ext4    ro,noatime      0 2
UUID=4444 none                    swap    defaults        0 0
nfs.example:/export /mnt/nfs      nfs4    defaults        0 0
UUID=5555 /mnt/later              xfs     noauto          0 0
tmpfs     /tmp                    tmpfs   defaults        0 0
UUID=6666 /data                   xfs     defaults,nofail 0 0
UUID=7777 /boot/efi               vfat    umask=0077      0 2
UUID=8888 /usr                    xfs     defaults        0 0
FSTAB
	cat >"$S/proc/self/mountinfo" <<MI
20 1 253:1 / / rw,relatime - ext4 /dev/vda rw
30 20 253:2 / $S/sysroot ro,relatime - xfs /dev/vdb1 ro
31 30 253:3 / $S/sysroot/usr ro,relatime - xfs /dev/vdb3 ro
MI
	echo 1 >"$S/selinux/enforce"
	: >"$S/calls"
}

# run CMDLINE [LEAPP_RC]: upgrade.sh as upgrade.service runs it
run() {
	RC=0
	OUT=$(UPGRADE_UNITS_MOUNTS=${UPGRADE_UNITS_MOUNTS:-$S/no-units} CMDLINE=$1 LEAPP_STUB_RC=${2:-0} CALLS=$S/calls HOOKS=$S/hooks NEWROOT=$S/sysroot \
		UPGRADE_PROC=$S/proc UPGRADE_SELINUXFS=$S/selinux UPGRADE_RUNDIR=$S/run UPGRADE_LEAPP=$S/stubs/leapp \
		UPGRADE_MOUNT_LIB=$T_TOP/actors/lib/boot/upgrade-mount-lib.sh \
		PATH="$S/stubs:$PATH" bash -c '. "$1"; . "$2"' _ "$S/dracut-lib.sh" "$M90/upgrade.sh" 2>&1) || RC=$?
	CALLS_TEXT=$(cat "$S/calls")
}
calls() { grep -E "$1" "$S/calls"; }
state() { cat "$S/sysroot/var/tmp/system-upgrade.state" 2>/dev/null; }
FLAG=$S/sysroot/var/lib/leapp/upgrade-initramfs.failed
R=$S/sysroot

# ---- a successful upgrade ----
mk_sysroot
run "root=UUID=1111 ro enforcing=0"
t_eq "success: exit 0" 0 "$RC"
t_eq "success: the state says finished" finished "$(state)"
t_eq "the root is made writable first" "mount -o remount,rw $R" "$(grep -E '^(u?mount) ' "$S/calls" | head -1)"
t_eq "fstab: local filesystems mounted read-write, parents first; the mounted /usr remounted; swap, nfs, noauto, tmpfs not" \
	"mount -t xfs -o defaults UUID=2222 $R/boot
mount -t vfat -o umask=0077 UUID=7777 $R/boot/efi
mount -t xfs -o defaults,nofail UUID=6666 $R/data
mount -t ext4 -o rw,noatime UUID=3333 $R/var/log" "$(calls '^mount -t')"
t_check "fstab: the network filesystem is named in a warning" grep -q "warn: upgrade: not mounting /mnt/nfs (nfs4): a network filesystem" <<<"$CALLS_TEXT"
t_eq "/usr, mounted read-only by the initramfs, is made writable" "mount -o remount,rw $R/usr" "$(calls "remount,rw $R/usr")"
t_eq "/proc /sys /dev /run are bound into the system" \
	"mount --rbind /proc $R/proc|mount --rbind /sys $R/sys|mount --rbind /dev $R/dev|mount --rbind /run $R/run" \
	"$(calls '^mount --rbind' | paste -sd'|')"
t_eq "leapp: --resume against the system, with the image's leapp tree, while the state says running and SELinux is permissive" \
	"leapp upgrade --resume --root $R | DATADIR=/usr/share/leapp ACTORS=/usr/share/leapp/actors | state=running | enforce=0" \
	"$(calls '^leapp ')"
t_eq "SELinux is enforcing again afterwards" 1 "$(cat "$S/selinux/enforce")"
t_check "the journal is saved into leapp-upgrade.log" grep -q "the journal of the upgrade initramfs" "$R/var/log/leapp/leapp-upgrade.log"
t_check "... after a separator" grep -q "^==== journal of the upgrade initramfs, " "$R/var/log/leapp/leapp-upgrade.log"
t_eq "the mounts are undone newest first, then the options restored" \
	"umount -R $R/run|umount -R $R/dev|umount -R $R/sys|umount -R $R/proc|umount -R $R/var/log|umount -R $R/data|umount -R $R/boot/efi|umount -R $R/boot|mount -o remount,ro,relatime $R/usr|mount -o remount,ro,relatime $R" \
	"$(grep -E '^umount|remount,ro' "$S/calls" | paste -sd'|')"
t_eq "the journal is saved before anything is unmounted" "journalctl" \
	"$(grep -E '^(journalctl|umount)' "$S/calls" | head -1 | cut -d' ' -f1)"
t_eq "then the reboot" "systemctl --no-block reboot" "$(tail -1 "$S/calls")"
[ ! -e "$FLAG" ] && t_ok "success leaves no failure flag" || t_fail "success leaves no failure flag"
t_eq "no shell without rd.upgrade.break" "" "$(calls emergency_shell)"

# ---- leapp fails ----
mk_sysroot
run "root=UUID=1111 ro" 1
t_eq "failure: upgrade.service fails (OnFailure: the emergency target)" 1 "$RC"
t_eq "failure: the state says failed" failed "$(state)"
[ -s "$FLAG" ] && t_ok "failure: the flag file is left" || t_fail "failure: the flag file is left"
t_check "failure: the flag says how it ended" grep -q "^exit 1 at " "$FLAG"
t_eq "failure: no reboot" "" "$(calls '^(systemctl|reboot) ')"
t_check "failure: the journal is saved too" grep -q "the journal of the upgrade initramfs" "$R/var/log/leapp/leapp-upgrade.log"
t_check "failure: the mounts are undone too" grep -q "remount,ro,relatime $R\$" "$S/calls"
t_check "failure: the logs are named" grep -q "the logs are in $R/var/log/leapp/" <<<"$OUT$CALLS_TEXT"

# ---- the next start after a failure (the shell exited, or the entry was booted again) ----
: >"$S/calls"
echo 1 >"$S/selinux/enforce"
run "root=UUID=1111 ro" 0
t_eq "after a failure: leapp does not run again" "" "$(calls '^leapp ')"
t_eq "after a failure: it reboots instead of looping" "systemctl --no-block reboot" "$(calls '^(systemctl|reboot) ')"
t_eq "after a failure: exit 0 (no emergency shell again)" 0 "$RC"
t_eq "after a failure: the state says failed" failed "$(state)"
t_check "after a failure: it says how to try again" grep -q "To try again, remove /var/lib/leapp/upgrade-initramfs.failed" <<<"$CALLS_TEXT"
rm -f "$FLAG"

# ---- rd.upgrade.break and rd.upgrade.debug ----
mk_sysroot
run "root=UUID=1111 rd.upgrade.break=leapp-pre-upgrade rd.upgrade.break=leapp-upgrade rd.upgrade.break=leapp-finish rd.upgrade.debug"
t_eq "breaks: a shell before leapp, after leapp, before the reboot" "emergency_shell leapp-pre-upgrade|leapp|emergency_shell leapp-upgrade|emergency_shell leapp-finish|systemctl" \
	"$(grep -E '^(emergency_shell|leapp |systemctl)' "$S/calls" | sed 's/^leapp .*/leapp/; s/^systemctl .*/systemctl/' | paste -sd'|')"
t_check "the shell before leapp has the system mounted" bash -c "grep -n 'emergency_shell leapp-pre-upgrade' '$S/calls' | cut -d: -f1 | { read s; [ \$s -gt \$(grep -n -- '--rbind /run' '$S/calls' | cut -d: -f1) ]; }"
t_check "rd.upgrade.debug: leapp --debug" grep -q "^leapp upgrade --resume --root $R --debug " "$S/calls"
t_check "rd.upgrade.debug: the scripts trace" grep -q "^+* UPGRADE_RC=0" <<<"$OUT"
mk_sysroot
run "root=UUID=1111 rd.upgrade.break=leapp-finish"
t_eq "one break only where asked" "emergency_shell leapp-finish" "$(calls emergency_shell)"

# ---- enforcing=1 keeps SELinux enforcing ----
mk_sysroot
run "root=UUID=1111 enforcing=1"
t_check "enforcing=1: leapp runs with SELinux enforcing" grep -q "enforce=1\$" <<<"$(calls '^leapp ')"

# ---- a filesystem the upgrade needs does not mount ----
mk_sysroot
FAIL_MOUNT=$R/var/log run "root=UUID=1111"
t_eq "a failed mount: leapp does not run" "" "$(calls '^leapp ')"
t_eq "a failed mount: exit 1, state failed" "1 failed" "$RC $(state)"
t_check "a failed mount: named in a warning" grep -q "warn: upgrade: cannot mount /var/log (UUID=3333)" <<<"$CALLS_TEXT"
mk_sysroot
FAIL_MOUNT=$R/data run "root=UUID=1111"
t_eq "a failed nofail mount: the upgrade goes on" "0 finished" "$RC $(state)"
rm -f "$FLAG"

# ---- a mount point below a symlink of the system: mkdir and mount would follow it against the
# initramfs's / (an absolute link), so it is refused, nothing is created outside the system ----
mk_sysroot
OUTSIDE=$S/outside-of-sysroot
rm -rf "$OUTSIDE" && mkdir -p "$OUTSIDE"
ln -s "$OUTSIDE" "$R/srv"
echo "UUID=9999 /srv/data xfs defaults 0 0" >>"$R/etc/fstab"
run "root=UUID=1111"
t_eq "a symlinked mount point: not mounted, leapp does not run" "" "$(calls '^leapp ')$(calls "^mount .*/srv/data")"
t_check "a symlinked mount point: named in a warning" grep -q "warn: upgrade: not mounting /srv/data: a symlink" <<<"$CALLS_TEXT"
t_check "nothing was created outside the system" test ! -e "$OUTSIDE/data"
rm -f "$FLAG"

# ---- the generator: upgrade.target is what the initramfs boots to ----
G=$(t_tmpdir)
mkdir -p "$G/normal" "$G/early" "$G/late"
sh "$M90/upgrade-generator.sh" "$G/normal" "$G/early" "$G/late"
t_eq "generator: initrd.target and default.target are upgrade.target" "upgrade.target upgrade.target" \
	"$(basename "$(readlink "$G/early/initrd.target")") $(basename "$(readlink "$G/early/default.target")")"
t_eq "generator: nothing in the other directories" "" "$(find "$G/normal" "$G/late" -mindepth 1)"

# ---- the unit files say what systemd must do ----
unit() { sed -n "s/^$2=//p" "$M90/$1"; }
t_eq "upgrade.service: a oneshot" oneshot "$(unit upgrade.service Type)"
t_eq "upgrade.service: requires basic.target and sysroot.mount" "basic.target sysroot.mount" "$(unit upgrade.service Requires)"
t_check "upgrade.service: after them" grep -q "^After=basic.target sysroot.mount" "$M90/upgrade.service"
t_eq "upgrade.service: the emergency target on failure" emergency.target "$(unit upgrade.service OnFailure)"
t_eq "upgrade.target: requires basic.target and sysroot.mount" "basic.target sysroot.mount" "$(unit upgrade.target Requires)"
t_eq "the drop-in empties ExecStart (no switch-root)" "$(printf '\n%s' '-/bin/true')" "$(unit no-switch-root.conf ExecStart)"
if command -v systemd-analyze >/dev/null; then
	U=$(t_tmpdir)
	cp "$M90/upgrade.service" "$M90/upgrade.target" "$U/"
	printf '[Unit]\nDescription=stand-in\n[Mount]\nWhat=tmpfs\nWhere=/sysroot\nType=tmpfs\n' >"$U/sysroot.mount"
	printf '#!/bin/sh\n' >"$U/system-upgrade"
	chmod +x "$U/system-upgrade"
	sed -i "s|/usr/bin/system-upgrade|$U/system-upgrade|" "$U/upgrade.service"
	out=$(cd "$U" && systemd-analyze verify --man=no "$U/upgrade.service" "$U/upgrade.target" 2>&1)
	t_eq "systemd-analyze verify: no complaint about the units" "" "$out"
	cp "$M90/no-switch-root.conf" "$U/"
	out=$(cd "$U" && mkdir -p initrd-cleanup.service.d && cp no-switch-root.conf initrd-cleanup.service.d/ &&
		printf '[Unit]\nDescription=stand-in\n[Service]\nType=oneshot\nExecStart=/bin/false\n' >initrd-cleanup.service &&
		systemd-analyze verify --man=no "$U/initrd-cleanup.service" 2>&1)
	t_eq "systemd-analyze verify: the drop-in is valid" "" "$out"
fi
# ---- the mounts of leapp's mount units (99leapp-storage): unmounted after the upgrade ----
mk_sysroot
echo "40 30 253:4 / $R/var rw,relatime - xfs /dev/vdb4 rw" >>"$S/proc/self/mountinfo"
echo "41 40 253:5 / $R/var/lib/leapp rw,relatime - xfs /dev/vdb5 rw" >>"$S/proc/self/mountinfo"
printf '%s\n' "$R/var/lib/leapp" "$R/var" "$R/opt" >"$S/units-mounts"
UPGRADE_UNITS_MOUNTS=$S/units-mounts run "root=UUID=1111 ro" 1
t_eq "a failed upgrade: the units' mounts unmounted, deepest first, the unmounted one skipped" \
	"umount $R/var/lib/leapp|umount $R/var" "$(calls "^umount $R/(var|opt)" | paste -sd'|')"
t_eq "... after the hook's own" "umount $R/var/lib/leapp" "$(grep -E '^umount' "$S/calls" | grep -A1 "umount -R $R/boot$" | tail -1)"
t_done

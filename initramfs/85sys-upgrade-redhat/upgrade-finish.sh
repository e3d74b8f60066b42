#!/bin/sh
# upgrade-post hook of sys-upgrade-redhat: append the journal of this boot to
# /var/log/leapp/leapp-upgrade.log, leave the failure flag when the upgrade failed, then undo
# upgrade-mount.sh: SELinux mode, the mounts it made, the options of those it remounted.

type getarg >/dev/null 2>&1 || . /lib/dracut-lib.sh

NEWROOT=${NEWROOT:-/sysroot}
UPGRADE_SELINUXFS=${UPGRADE_SELINUXFS:-/sys/fs/selinux}
UPGRADE_FAILED_FLAG=${UPGRADE_FAILED_FLAG:-$NEWROOT/var/lib/leapp/upgrade-initramfs.failed}
# upgrade_selinux_restore, upgrade_unmount_all, upgrade_remount_restore: shared with live mode
# shellcheck source=/dev/null
. "${UPGRADE_MOUNT_LIB:-/usr/lib/leapp-upgrade/upgrade-mount-lib.sh}"

# (not -m: systemd 252 refuses --merge with --boot; the initramfs has one journal, in /run)
upgrade_save_journal() {
    _log=$NEWROOT/var/log/leapp/leapp-upgrade.log
    mkdir -p "${_log%/*}" 2>/dev/null
    {
        echo "==== journal of the upgrade initramfs, $(date -u '+%Y-%m-%d %H:%M:%S UTC') ===="
        journalctl -a -b --no-pager -o short-monotonic
    } >> "$_log" 2>/dev/null || warn "upgrade: cannot save the journal into $_log"
}

upgrade_flag_failure() {
    [ "${UPGRADE_RC:-0}" -eq 0 ] && return 0
    [ -e "$UPGRADE_FAILED_FLAG" ] && return 0
    mkdir -p "${UPGRADE_FAILED_FLAG%/*}" 2>/dev/null
    echo "exit $UPGRADE_RC at $(date -u '+%Y-%m-%d %H:%M:%S UTC')" > "$UPGRADE_FAILED_FLAG" || \
        warn "upgrade: cannot write $UPGRADE_FAILED_FLAG"
}

upgrade_restore() {
    upgrade_selinux_restore
    upgrade_unmount_all
    upgrade_remount_restore
}

# the mounts of leapp's generated mount units (the 99leapp-storage module lists them, deepest
# first): a failed upgrade leaves the VM or machine in a shell, where they would stay mounted
# read-write; an explicit unmount does not stop upgrade.target, which requires the units
upgrade_unmount_units() {
    _list=${UPGRADE_UNITS_MOUNTS:-/usr/lib/leapp-storage/mounts}
    [ -s "$_list" ] || return 0
    while read -r _m; do
        [ -n "$(upgrade_mount_opts "$_m")" ] || continue
        umount "$_m" 2>/dev/null || umount -l "$_m" || warn "upgrade: cannot unmount $_m"
    done < "$_list"
}

upgrade_save_journal
upgrade_flag_failure
sync
upgrade_restore
upgrade_unmount_units

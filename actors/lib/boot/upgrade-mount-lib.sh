#!/bin/sh
# The mounting both boot paths of the upgrade share (the upgrade initramfs's upgrade-mount.sh and
# upgrade-finish.sh hooks, live mode's /usr/bin/upgrade): sourced, never run. Installed into both
# images as /usr/lib/leapp-upgrade/upgrade-mount-lib.sh (UPGRADE_MOUNT_LIB: another path, for tests).
# The caller defines info and warn; UPGRADE_SAY is put before every message ("upgrade: " unless
# set). UPGRADE_PROC, UPGRADE_SELINUXFS: stand-ins for /proc and /sys/fs/selinux.
# What was done, to undo: UPGRADE_MOUNTED (mounted here, one a line, in order), UPGRADE_REMOUNTED
# ("MOUNTPOINT OPTIONS" lines: made read-write), UPGRADE_ENFORCE_OLD (SELinux's mode before).

: "${UPGRADE_SAY=upgrade: }"
UPGRADE_PROC=${UPGRADE_PROC:-/proc}
UPGRADE_SELINUXFS=${UPGRADE_SELINUXFS:-/sys/fs/selinux}
UPGRADE_MOUNTED=${UPGRADE_MOUNTED:-}
UPGRADE_REMOUNTED=${UPGRADE_REMOUNTED:-}
UPGRADE_ENFORCE_OLD=${UPGRADE_ENFORCE_OLD:-}

# the per-mount options of the last mount on a mount point ("" when not mounted)
upgrade_mount_opts() {
    _uo=""
    while read -r _id _parent _majmin _root _mp _opts _rest; do
        [ "$_mp" = "$1" ] && _uo=$_opts
    done < "$UPGRADE_PROC/self/mountinfo"
    echo "$_uo"
}

# is OPTION one of the comma-separated OPTIONS?
upgrade_has_opt() {
    case ",$1," in *",$2,"*) return 0 ;; esac
    return 1
}

# remount a mounted filesystem read-write when it is read-only, remembering its options
upgrade_remount_rw() {
    _opts=$(upgrade_mount_opts "$1")
    upgrade_has_opt "$_opts" ro || return 0
    mount -o remount,rw "$1" || return 1
    UPGRADE_REMOUNTED="$UPGRADE_REMOUNTED$1 $_opts
"
}

# /proc /sys /dev /run of the running system bound into ROOT, for the RPM scriptlets (chrooted
# there); NAME is ROOT as the messages show it
upgrade_bind_api() {
    for _d in proc sys dev run; do
        _target=$1/$_d
        [ -n "$(upgrade_mount_opts "$_target")" ] && continue
        mkdir -p "$_target" 2>/dev/null
        if mount --rbind "/$_d" "$_target"; then
            mount --make-rslave "$_target" 2>/dev/null
            UPGRADE_MOUNTED="$UPGRADE_MOUNTED$_target
"
        else
            warn "${UPGRADE_SAY}cannot bind /$_d into ${2:-$1}"
            return 1
        fi
    done
}

# SELinux permissive for the upgrade, unless the argument is "keep" (enforcing=1 on the kernel
# command line); the mode it had goes to UPGRADE_ENFORCE_OLD
upgrade_selinux_permissive() {
    [ -f "$UPGRADE_SELINUXFS/enforce" ] || return 0
    UPGRADE_ENFORCE_OLD=$(cat "$UPGRADE_SELINUXFS/enforce")
    if [ "${1:-}" = keep ]; then
        info "${UPGRADE_SAY}enforcing=1: SELinux stays enforcing"
        return 0
    fi
    echo 0 > "$UPGRADE_SELINUXFS/enforce" || warn "${UPGRADE_SAY}cannot make SELinux permissive"
}

upgrade_selinux_restore() {
    if [ -n "${UPGRADE_ENFORCE_OLD:-}" ] && [ -f "$UPGRADE_SELINUXFS/enforce" ]; then
        echo "$UPGRADE_ENFORCE_OLD" > "$UPGRADE_SELINUXFS/enforce" 2>/dev/null
    fi
}

# the lines of $1 in reverse order (newest first)
upgrade_lines_reversed() {
    _rev=""
    _ifs=$IFS
    IFS='
'
    for _l in $1; do _rev="$_l
$_rev"; done
    IFS=$_ifs
    printf '%s' "$_rev"
}

# unmount what was mounted (UPGRADE_MOUNTED), newest first
upgrade_unmount_all() {
    _ifs=$IFS
    IFS='
'
    for _m in $(upgrade_lines_reversed "${UPGRADE_MOUNTED:-}"); do
        umount -R "$_m" 2>/dev/null || umount -l "$_m" || warn "${UPGRADE_SAY}cannot unmount $_m"
    done
    IFS=$_ifs
    UPGRADE_MOUNTED=""
}

# give what was made read-write (UPGRADE_REMOUNTED) its options back, newest first
upgrade_remount_restore() {
    upgrade_lines_reversed "${UPGRADE_REMOUNTED:-}" | while read -r _mp _opts; do
        [ -n "$_mp" ] || continue
        mount -o "remount,$_opts" "$_mp" || warn "${UPGRADE_SAY}cannot restore the options of $_mp ($_opts)"
    done
    UPGRADE_REMOUNTED=""
}

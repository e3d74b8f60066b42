#!/bin/sh
# Live mode: the upgrade in the live system, installed as /usr/bin/upgrade and run by
# upgrade.service (upgrade-strace.service runs `upgrade --strace`: the same under strace).
# /sysroot is the system being upgraded: a link to /run/upgrade, where the live system's fstab
# mounts the system's filesystems. In order:
#   1. /sysroot mounted and read-write, /proc /sys /dev /run bound into it (the RPM scriptlets
#      run chrooted there) with the system's own kernel command line over /sysroot/proc/cmdline
#      (kernel-install makes the new kernel's entry from it), SELinux permissive unless enforcing=1;
#   2. unless an earlier run failed (the flag below): leapp upgrade --resume --root /sysroot with
#      the leapp of the image (never the old root's), its state in
#      /sysroot/var/tmp/system-upgrade.state;
#   3. the journal of this boot appended to /sysroot/var/log/leapp/leapp-upgrade.log, the flag
#      written on failure, the binds undone, SELinux restored;
#   4. success: reboot, unless /sysroot/.noreboot exists. Failure: with a complete snapshot set
#      (leapp upgrade --snapshot), the rollback the upgrade initramfs runs (its upgrade-rollback.sh,
#      the same file: merge the snapshots, /boot put back, the attempt kept in /boot/leapp-rollback)
#      and the reboot into the release before the upgrade (unless /sysroot/.noreboot exists);
#      otherwise exit 1 and the live system stays up (consoles, sshd) for whoever repairs it.
# Kernel command line: upgrade.debug (shell tracing, leapp --debug); upgrade.strace=FILE (with
# --strace: strace writes /sysroot/FILE).
# Stand-ins for tests: NEWROOT, UPGRADE_PROC, UPGRADE_SELINUXFS, UPGRADE_LEAPP, UPGRADE_DATADIR,
# UPGRADE_STRACE, UPGRADE_SYSTEM_CMDLINE, UPGRADE_MOUNT_LIB, UPGRADE_ROLLBACK_LIB.

NEWROOT=${NEWROOT:-/sysroot}
UPGRADE_PROC=${UPGRADE_PROC:-/proc}
UPGRADE_SELINUXFS=${UPGRADE_SELINUXFS:-/sys/fs/selinux}
UPGRADE_LEAPP=${UPGRADE_LEAPP:-/usr/bin/leapp}
UPGRADE_DATADIR=${UPGRADE_DATADIR:-/usr/share/leapp}
UPGRADE_STRACE=${UPGRADE_STRACE:-strace}
UPGRADE_SYSTEM_CMDLINE=${UPGRADE_SYSTEM_CMDLINE:-/etc/leapp-live/system-cmdline}
UPGRADE_STATE_FILE=$NEWROOT/var/tmp/system-upgrade.state
UPGRADE_FAILED_FLAG=$NEWROOT/var/lib/leapp/upgrade-initramfs.failed
UPGRADE_LOG=$NEWROOT/var/log/leapp/leapp-upgrade.log

info() { echo "upgrade: $*"; }
warn() { echo "upgrade: $*" >&2; }

# upgrade_mount_opts, upgrade_remount_rw, upgrade_bind_api, upgrade_selinux_permissive and the
# undoing: shared with the upgrade initramfs (actors/lib/boot/upgrade-mount-lib.sh); info and warn
# above say "upgrade: " already
# shellcheck disable=SC2034 # read by the library
UPGRADE_SAY=""
# shellcheck source=/dev/null
. "${UPGRADE_MOUNT_LIB:-/usr/lib/leapp-upgrade/upgrade-mount-lib.sh}"

# the value of KEY=VALUE on the kernel command line ("" and status 1 when absent)
# (words of the kernel command line, not lines)
# shellcheck disable=SC2013
cmdline_value() {
    for _a in $(cat "$UPGRADE_PROC/cmdline" 2>/dev/null); do
        case "$_a" in "$1"=*) echo "${_a#*=}"; return 0 ;; esac
    done
    return 1
}
# shellcheck disable=SC2013
cmdline_has() {
    for _a in $(cat "$UPGRADE_PROC/cmdline" 2>/dev/null); do
        [ "$_a" = "$1" ] && return 0
        case "$_a" in "$1"=*) [ "${_a#*=}" != 0 ] && return 0 ;; esac
    done
    return 1
}

# what upgrade-rollback.sh asks of dracut's library (called from it: shellcheck cannot see that)
# shellcheck disable=SC2317
getarg() { cmdline_value "$1"; }
# shellcheck disable=SC2317
getargbool() {
    _v=$(cmdline_value "$2") || { [ "$1" != 0 ]; return; }
    case "$_v" in 0|no|off) return 1 ;; esac
    return 0
}

if [ "${1:-}" = --strace ]; then
    _f=$(cmdline_value upgrade.strace)
    if [ -z "$_f" ]; then
        _f=/var/lib/leapp/upgrade.strace
        warn "no upgrade.strace=FILE on the kernel command line: writing $_f"
    fi
    mkdir -p "$(dirname "$NEWROOT$_f")"
    info "running under strace into $_f"
    exec "$UPGRADE_STRACE" -f -tt -s 256 -o "$NEWROOT$_f" "$0"
fi

cmdline_has upgrade.debug && set -x

setstate() {
    mkdir -p "${UPGRADE_STATE_FILE%/*}" 2>/dev/null
    echo "$1" > "$UPGRADE_STATE_FILE" || warn "cannot write the state ($1) to $UPGRADE_STATE_FILE"
}

prepare() {
    _real=$(readlink -f "$NEWROOT")
    _opts=$(upgrade_mount_opts "$_real")
    if [ -z "$_opts" ]; then
        warn "$NEWROOT ($_real) is not mounted: the live system's fstab mounts the system there"
        return 1
    fi
    upgrade_remount_rw "$_real" || { warn "cannot remount $NEWROOT read-write"; return 1; }
    upgrade_bind_api "$_real" "$NEWROOT" || return 1
    # the scriptlets (kernel-install) read the system's kernel command line, not the live boot's
    if [ -s "$UPGRADE_SYSTEM_CMDLINE" ]; then
        mount --bind "$UPGRADE_SYSTEM_CMDLINE" "$_real/proc/cmdline" || warn "cannot show the system's kernel command line in $NEWROOT/proc"
    fi
    if cmdline_has enforcing; then upgrade_selinux_permissive keep; else upgrade_selinux_permissive; fi
    return 0
}

# SELinux's mode back, the binds undone (the system stays read-write: the live system's fstab
# mounted it)
restore() {
    upgrade_selinux_restore
    upgrade_unmount_all
}

save_journal() {
    mkdir -p "${UPGRADE_LOG%/*}" 2>/dev/null
    {
        echo "==== journal of the live upgrade system, $(date -u '+%Y-%m-%d %H:%M:%S UTC') ===="
        journalctl -a -b --no-pager -o short-monotonic
    } >> "$UPGRADE_LOG" 2>/dev/null || warn "cannot save the journal into $UPGRADE_LOG"
}

RC=0
RAN=0
info "starting (leapp of the live image: $UPGRADE_LEAPP)"
if ! prepare; then
    RC=1
elif [ -e "$UPGRADE_FAILED_FLAG" ]; then
    warn "an earlier run of the upgrade failed: $(cat "$UPGRADE_FAILED_FLAG" 2>/dev/null)"
    warn "not running it again. To try again, remove ${UPGRADE_FAILED_FLAG#"$NEWROOT"} and run upgrade (see /var/log/leapp/leapp-upgrade.log)"
    setstate failed
    RC=1
else
    RAN=1
    setstate running
    set -- upgrade --resume --root "$NEWROOT"
    cmdline_has upgrade.debug && set -- "$@" --debug
    info "$UPGRADE_LEAPP $*"
    # the leapp tree of this image, whatever the run being resumed was started with
    LEAPP_DATADIR=$UPGRADE_DATADIR LEAPP_ACTORS_DIR=$UPGRADE_DATADIR/actors "$UPGRADE_LEAPP" "$@"
    RC=$?
    info "leapp exited with $RC"
    if [ "$RC" -eq 0 ]; then setstate finished; else setstate failed; fi
fi
sync
save_journal
if [ "$RAN" = 1 ] && [ "$RC" -ne 0 ]; then
    echo "exit $RC at $(date -u '+%Y-%m-%d %H:%M:%S UTC')" > "$UPGRADE_FAILED_FLAG" || warn "cannot write $UPGRADE_FAILED_FLAG"
fi
sync
restore

# WHAT EXIT: the reboot, unless /sysroot/.noreboot exists; exits with EXIT either way
finish_reboot() {
    if [ -e "$NEWROOT/.noreboot" ]; then
        info "$1; $NEWROOT/.noreboot exists: not rebooting"
        exit "$2"
    fi
    info "$1; rebooting"
    systemctl --no-block reboot || reboot -f
    exit "$2"
}

if [ "$RAN" = 1 ] && [ "$RC" -ne 0 ] && [ -f "${UPGRADE_ROLLBACK_LIB:=/usr/lib/leapp-upgrade/upgrade-rollback.sh}" ]; then
    # shellcheck disable=SC2034 # read by upgrade-rollback.sh
    UPGRADE_RC=$RC UPGRADE_REBOOT=0 UPGRADE_ENVIRONMENT="live upgrade image"
    # shellcheck source=/dev/null
    . "$UPGRADE_ROLLBACK_LIB"
    sync
    # the merges complete when the volumes are next activated: at the boot of the release before
    [ "$UPGRADE_REBOOT" = 1 ] && finish_reboot "failed (exit $RC) and rolled back to the snapshots" 1
fi
if [ "$RC" -ne 0 ]; then
    warn "failed (exit $RC); the logs are in $NEWROOT/var/log/leapp/. The live system stays up: log in on tty2 (or over ssh)."
    exit 1
fi
finish_reboot finished 0

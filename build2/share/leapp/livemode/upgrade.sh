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
#   4. success: reboot, unless /sysroot/.noreboot exists. Failure: exit 1; the live system stays
#      up (consoles, sshd) for whoever repairs it.
# Kernel command line: upgrade.debug (shell tracing, leapp --debug); upgrade.strace=FILE (with
# --strace: strace writes /sysroot/FILE).
# Stand-ins for tests: NEWROOT, UPGRADE_PROC, UPGRADE_SELINUXFS, UPGRADE_LEAPP, UPGRADE_DATADIR,
# UPGRADE_STRACE, UPGRADE_SYSTEM_CMDLINE.

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

# the per-mount options of the mount on a mount point ("" when not mounted)
mount_opts() {
    _o=""
    while read -r _id _parent _majmin _root _mp _opts _rest; do
        [ "$_mp" = "$1" ] && _o=$_opts
    done < "$UPGRADE_PROC/self/mountinfo"
    echo "$_o"
}

setstate() {
    mkdir -p "${UPGRADE_STATE_FILE%/*}" 2>/dev/null
    echo "$1" > "$UPGRADE_STATE_FILE" || warn "cannot write the state ($1) to $UPGRADE_STATE_FILE"
}

BOUND=""
prepare() {
    _real=$(readlink -f "$NEWROOT")
    _opts=$(mount_opts "$_real")
    if [ -z "$_opts" ]; then
        warn "$NEWROOT ($_real) is not mounted: the live system's fstab mounts the system there"
        return 1
    fi
    case ",$_opts," in
        *,ro,*) mount -o remount,rw "$_real" || { warn "cannot remount $NEWROOT read-write"; return 1; } ;;
    esac
    for _d in proc sys dev run; do
        [ -n "$(mount_opts "$_real/$_d")" ] && continue
        mkdir -p "$_real/$_d" 2>/dev/null
        if mount --rbind "/$_d" "$_real/$_d"; then
            mount --make-rslave "$_real/$_d" 2>/dev/null
            BOUND="$_real/$_d $BOUND"
        else
            warn "cannot bind /$_d into $NEWROOT"
            return 1
        fi
    done
    # the scriptlets (kernel-install) read the system's kernel command line, not the live boot's
    if [ -s "$UPGRADE_SYSTEM_CMDLINE" ]; then
        mount --bind "$UPGRADE_SYSTEM_CMDLINE" "$_real/proc/cmdline" || warn "cannot show the system's kernel command line in $NEWROOT/proc"
    fi
    ENFORCE_OLD=""
    if [ -f "$UPGRADE_SELINUXFS/enforce" ]; then
        ENFORCE_OLD=$(cat "$UPGRADE_SELINUXFS/enforce")
        if cmdline_has enforcing; then
            info "enforcing=1: SELinux stays enforcing"
        else
            echo 0 > "$UPGRADE_SELINUXFS/enforce" || warn "cannot make SELinux permissive"
        fi
    fi
    return 0
}

restore() {
    [ -n "${ENFORCE_OLD:-}" ] && echo "$ENFORCE_OLD" > "$UPGRADE_SELINUXFS/enforce" 2>/dev/null
    for _m in $BOUND; do
        umount -R "$_m" 2>/dev/null || umount -l "$_m" || warn "cannot unmount $_m"
    done
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

if [ "$RC" -ne 0 ]; then
    warn "failed (exit $RC); the logs are in $NEWROOT/var/log/leapp/. The live system stays up: log in on tty2 (or over ssh)."
    exit 1
fi
if [ -e "$NEWROOT/.noreboot" ]; then
    info "finished; $NEWROOT/.noreboot exists: not rebooting"
    exit 0
fi
info "finished; rebooting"
systemctl --no-block reboot || reboot -f
exit 0

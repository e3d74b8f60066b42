#!/bin/sh
# upgrade hook of sys-upgrade-redhat: run leapp upgrade --resume against /sysroot with the
# leapp of this initramfs (never the old root's), unless an earlier run in an upgrade
# initramfs failed (the flag file): then reboot instead of failing the same way again.
# Sets UPGRADE_RC to leapp's exit code.
#   rd.upgrade.break=leapp-pre-upgrade   a shell before leapp runs (the system is mounted)
#   rd.upgrade.break=leapp-upgrade       a shell after leapp returned
#   rd.upgrade.debug                     leapp --debug

type getarg >/dev/null 2>&1 || . /lib/dracut-lib.sh

NEWROOT=${NEWROOT:-/sysroot}
UPGRADE_LEAPP=${UPGRADE_LEAPP:-/usr/bin/leapp}
UPGRADE_FAILED_FLAG=${UPGRADE_FAILED_FLAG:-$NEWROOT/var/lib/leapp/upgrade-initramfs.failed}

upgrade_run_leapp() {
    if [ -e "$UPGRADE_FAILED_FLAG" ]; then
        warn "upgrade: an earlier run of the upgrade in this initramfs failed: $(cat "$UPGRADE_FAILED_FLAG" 2>/dev/null)"
        warn "upgrade: not running it again; rebooting. To try again, remove ${UPGRADE_FAILED_FLAG#"$NEWROOT"} (see /var/log/leapp/leapp-upgrade.log)"
        UPGRADE_RC=1
        UPGRADE_REBOOT=1
        return
    fi
    getarg rd.upgrade.break=leapp-pre-upgrade && \
        emergency_shell -n leapp-pre-upgrade "Break before leapp upgrade --resume (rd.upgrade.break=leapp-pre-upgrade)"
    set -- upgrade --resume --root "$NEWROOT"
    getargbool 0 rd.upgrade.debug && set -- "$@" --debug
    info "upgrade: $UPGRADE_LEAPP $*"
    # the leapp tree of this image, whatever the run being resumed was started with
    LEAPP_DATADIR=/usr/share/leapp LEAPP_ACTORS_DIR=/usr/share/leapp/actors "$UPGRADE_LEAPP" "$@"
    UPGRADE_RC=$?
    info "upgrade: leapp exited with $UPGRADE_RC"
    sync
    getarg rd.upgrade.break=leapp-upgrade && \
        emergency_shell -n leapp-upgrade "Break after leapp upgrade --resume, exit $UPGRADE_RC (rd.upgrade.break=leapp-upgrade)"
}

upgrade_run_leapp

#!/bin/sh
# upgrade.service: run the upgrade hooks of the upgrade initramfs, record the state, reboot.
#
# Hooks (installed by other dracut modules, e.g. 85sys-upgrade-redhat), sourced in this shell:
#   upgrade-pre   make /sysroot ready (mounts); may set UPGRADE_RC
#   upgrade       the upgrade itself; sets UPGRADE_RC (0: success)
#   upgrade-post  save logs, undo what upgrade-pre did
# A hook sets UPGRADE_REBOOT=1 to reboot even though UPGRADE_RC says failed (e.g. it refused
# to run again after an earlier failure). UPGRADE_RC non-zero and no reboot: this script
# fails and upgrade.service goes to the emergency target (OnFailure=).
#
# State: ${NEWROOT}/var/tmp/system-upgrade.state holds running, failed or finished.
# Kernel command line:
#   rd.upgrade.break=leapp-finish   a shell after the hooks, before the reboot
#   rd.upgrade.debug                shell tracing here and in the hooks (leapp --debug)
# (rd.upgrade.break=leapp-pre-upgrade and leapp-upgrade are the hooks' own break points.)

export DRACUT_SYSTEMD=1
if [ -f /dracut-state.sh ]; then
    . /dracut-state.sh 2>/dev/null
fi
type getarg >/dev/null 2>&1 || . /lib/dracut-lib.sh

export NEWROOT=${NEWROOT:-/sysroot}
UPGRADE_STATE_FILE=${UPGRADE_STATE_FILE:-$NEWROOT/var/tmp/system-upgrade.state}

getargbool 0 rd.upgrade.debug && set -x

setstate() {
    UPGRADE_STATE=$1
    mkdir -p "${UPGRADE_STATE_FILE%/*}" 2>/dev/null
    echo "$UPGRADE_STATE" > "$UPGRADE_STATE_FILE" || warn "cannot write the upgrade state ($1) to $UPGRADE_STATE_FILE"
}

# a hook that dies takes the shell with it: the state then says failed
on_exit() {
    [ "${UPGRADE_STATE:-}" = running ] && setstate failed
}
trap on_exit EXIT

UPGRADE_RC=0
UPGRADE_REBOOT=0
info "system upgrade: starting"
source_hook upgrade-pre
# the state is written once upgrade-pre made the system writable
if [ "$UPGRADE_RC" -eq 0 ]; then
    setstate running
    source_hook upgrade
fi
if [ "$UPGRADE_RC" -eq 0 ]; then
    setstate finished
else
    setstate failed
fi
source_hook upgrade-post
trap - EXIT

getarg rd.upgrade.break=leapp-finish && emergency_shell -n leapp-finish "Break before the reboot (rd.upgrade.break=leapp-finish)"

if [ "$UPGRADE_RC" -eq 0 ] || [ "$UPGRADE_REBOOT" = 1 ]; then
    info "system upgrade: ${UPGRADE_STATE}; rebooting"
    sync
    systemctl --no-block reboot || reboot -f
    exit 0
fi
warn "system upgrade: failed (exit $UPGRADE_RC); the logs are in $NEWROOT/var/log/leapp/"
warn "system upgrade: a reboot starts the default boot entry (the upgrade entry was booted once); remove ${UPGRADE_FAILED_FLAG:-the failure flag} first to run the upgrade again from here"
exit 1

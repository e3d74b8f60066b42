#!/bin/sh
# upgrade-post hook of sys-upgrade-redhat (40, before upgrade-finish.sh): when the upgrade
# failed and snapshot_take left a complete snapshot set (manifest.json) in
# /var/lib/leapp/snapshots, roll back instead of stopping in the emergency shell (DESIGN.md
# section 12): keep the failed attempt's logs, report and audit store in /boot/leapp-rollback
# (/boot is not snapshotted), put /boot's entries and GRUB files back from the set, schedule the
# merge of each snapshot into its origin (lvm lvconvert --merge: an origin in use merges when it
# is next activated, i.e. at the reboot) and ask for the reboot (UPGRADE_REBOOT=1).
# The set's on-failure file saying "shell" (snapshot.on_failure: shell) or rd.upgrade.rollback=0
# keeps the emergency shell instead.
# The live image's upgrade script (livemode/files/upgrade.sh) sources this same file, installed
# there as /usr/lib/leapp-upgrade/upgrade-rollback.sh, with getarg, getargbool, info and warn of
# its own and UPGRADE_ENVIRONMENT="live upgrade image". The source release's first boot reports
# the rollback from /boot/leapp-rollback (leapp-rollback-report.service: leapp rollback
# boot-report moves it to /var/log/leapp/rollback/<time>/).

type getarg >/dev/null 2>&1 || . /lib/dracut-lib.sh

NEWROOT=${NEWROOT:-/sysroot}

upgrade_rollback() {
    [ "${UPGRADE_RC:-0}" -eq 0 ] && return 0
    _set=$NEWROOT/var/lib/leapp/snapshots
    [ -f "$_set/manifest.json" ] && [ -f "$_set/lvs.txt" ] || return 0
    if [ "$(cat "$_set/on-failure" 2>/dev/null)" = shell ] || ! getargbool 1 rd.upgrade.rollback; then
        warn "upgrade: failed; not rolling back (snapshot.on_failure: shell or rd.upgrade.rollback=0): the snapshots stay"
        return 0
    fi
    info "upgrade: failed (exit $UPGRADE_RC): rolling back to the snapshots taken before the reboot"
    _keep=$NEWROOT/boot/leapp-rollback
    rm -rf "$_keep"
    mkdir -p "$_keep"
    cp -a "$NEWROOT/var/log/leapp" "$_keep/log" 2>/dev/null || warn "upgrade: cannot keep /var/log/leapp in $_keep"
    for _f in "$NEWROOT"/var/lib/leapp/leapp.db*; do
        [ -f "$_f" ] && cp -a "$_f" "$_keep/"
    done
    echo "the upgrade failed in the ${UPGRADE_ENVIRONMENT:-upgrade initramfs} (exit $UPGRADE_RC) at $(date -u '+%Y-%m-%d %H:%M:%S UTC'); rolled back to the snapshots" > "$_keep/reason"
    # /boot as the set recorded it: its entries (the new ones go) and GRUB files
    rm -f "$NEWROOT"/boot/loader/entries/*.conf
    cp -a "$_set/boot/." "$NEWROOT/boot/" || warn "upgrade: cannot restore /boot from $_set/boot"
    _failed=0
    while read -r _lv; do
        [ -n "$_lv" ] || continue
        lvm lvconvert --merge -y "$_lv" || { warn "upgrade: lvm lvconvert --merge $_lv failed"; _failed=1; }
    done < "$_set/lvs.txt"
    if [ "$_failed" = 1 ]; then
        warn "upgrade: the rollback is incomplete: staying in the emergency shell; see $_keep"
        return 0
    fi
    info "upgrade: the merge starts at the reboot; the failed attempt's logs are in /boot/leapp-rollback"
    UPGRADE_REBOOT=1
}

upgrade_rollback

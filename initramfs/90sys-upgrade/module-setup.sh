#!/bin/bash
# dracut module sys-upgrade: the upgrade initramfs boots into upgrade.target, whose
# upgrade.service runs the upgrade hooks (85sys-upgrade-redhat installs them), records the
# state in /sysroot/var/tmp/system-upgrade.state and reboots. Added on request only
# (dracut --add sys-upgrade); it pulls in sys-upgrade-redhat.

# the hook directories the upgrade runs, in this order (upgrade.sh)
SYS_UPGRADE_HOOKS="upgrade-pre upgrade upgrade-post"

check() {
    hookdirs+="$SYS_UPGRADE_HOOKS "
    return 255
}

depends() {
    echo systemd sys-upgrade-redhat
    return 0
}

install() {
    local unitdir=$systemdsystemunitdir
    inst_simple "$moddir/upgrade.target" "$unitdir/upgrade.target"
    inst_simple "$moddir/upgrade.service" "$unitdir/upgrade.service"
    mkdir -p "$initdir$unitdir/upgrade.target.wants"
    ln_r "$unitdir/upgrade.service" "$unitdir/upgrade.target.wants/upgrade.service"
    inst_script "$moddir/upgrade.sh" /usr/bin/system-upgrade
    # the generator that makes upgrade.target what the initramfs boots to
    inst_script "$moddir/upgrade-generator.sh" "$systemdutildir/system-generators/initrd-system-upgrade-generator"
    # no switch to the real root while (or after) the upgrade runs: it ends with a reboot
    inst_simple "$moddir/no-switch-root.conf" "$unitdir/initrd-cleanup.service.d/50-sys-upgrade.conf"
    inst_simple "$moddir/no-switch-root.conf" "$unitdir/initrd-switch-root.service.d/50-sys-upgrade.conf"
    inst_multiple true
    inst_multiple -o reboot sync
}

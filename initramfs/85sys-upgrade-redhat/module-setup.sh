#!/bin/bash
# dracut module sys-upgrade-redhat: the hooks that run leapp in the upgrade initramfs
# (mount the system, leapp upgrade --resume --root /sysroot, save the journal, restore), and
# leapp itself with its interim actors and every library they need, so that nothing in the
# initramfs depends on the old root's libraries surviving the RPM transaction.
#
# LEAPP_INITRAMFS_PAYLOAD (in dracut's environment) names a directory laid out as the image
# gets it: usr/bin/leapp, usr/bin/leapp-msg, usr/share/leapp/{models,phases,files,actors/<name>/}.
# upgrade_initramfs_generator stages it; by hand:
#   LEAPP_INITRAMFS_PAYLOAD=DIR dracut --add sys-upgrade ...

check() {
    hookdirs+="upgrade-pre upgrade upgrade-post "
    return 255
}

depends() {
    echo systemd
    return 0
}

# install one payload file at the same path in the image: ELF files with their libraries,
# scripts with their interpreter
sys_upgrade_inst_payload_file() {
    local src=$1 dst=$2 magic
    magic=$(head -c 4 "$src" 2>/dev/null | tr -d '\0')
    case "$magic" in
        $'\x7f'ELF) inst_binary "$src" "$dst" ;;
        '#!'*) inst_script "$src" "$dst" ;;
        *) inst_simple "$src" "$dst" ;;
    esac
}

# librpm's configuration (rpmrc, macros, the platform macros) from the rpm dracut builds with:
# the actors of the RPM transaction link librpm, which reads it when it starts and fails
# ("Unable to open /usr/lib/rpm/rpmrc") without it
sys_upgrade_inst_rpm_config() {
    local f files=()
    for f in "$dracutsysrootdir"/usr/lib/rpm/rpmrc "$dracutsysrootdir"/usr/lib/rpm/macros \
        "$dracutsysrootdir"/usr/lib/rpm/rpmpopt-* "$dracutsysrootdir"/usr/lib/rpm/macros.d/* \
        "$dracutsysrootdir"/usr/lib/rpm/platform/*/macros "$dracutsysrootdir"/etc/rpm/macros*; do
        [[ -f $f ]] && files+=("${f#"$dracutsysrootdir"}")
    done
    ((${#files[@]})) && inst_multiple -o "${files[@]}"
    return 0
}

install() {
    local payload=${LEAPP_INITRAMFS_PAYLOAD:-} f n=0
    if [[ -z $payload || ! -x $payload/usr/bin/leapp ]]; then
        dfatal "sys-upgrade-redhat: LEAPP_INITRAMFS_PAYLOAD must name a directory holding usr/bin/leapp (got '${payload}')"
        return 1
    fi
    inst_simple "$moddir/upgrade-mount-lib.sh" /usr/lib/leapp-upgrade/upgrade-mount-lib.sh
    inst_hook upgrade-pre 50 "$moddir/upgrade-mount.sh"
    inst_hook upgrade 50 "$moddir/do-upgrade.sh"
    inst_hook upgrade-post 40 "$moddir/upgrade-rollback.sh"
    inst_hook upgrade-post 50 "$moddir/upgrade-finish.sh"
    inst_multiple mount umount sync sort sed cat date mkdir rm head journalctl cp
    inst_multiple -o lvm
    inst_multiple -o setenforce
    sys_upgrade_inst_rpm_config

    while IFS= read -r -d '' f; do
        if ! sys_upgrade_inst_payload_file "$f" "${f#"$payload"}"; then
            dfatal "sys-upgrade-redhat: cannot install ${f#"$payload"} from $payload"
            return 1
        fi
        n=$((n + 1))
    done < <(find "$payload" -mindepth 1 \( -type f -o -type l \) -print0 | sort -z)
    dinfo "sys-upgrade-redhat: leapp and $n payload files from $payload"
}

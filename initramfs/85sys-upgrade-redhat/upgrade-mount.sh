#!/bin/sh
# upgrade-pre hook of sys-upgrade-redhat: make /sysroot the system the upgrade needs. The root
# read-write, every local filesystem of its fstab mounted read-write below it (/usr, /var,
# /boot, /boot/efi...), /proc /sys /dev /run bound into it for the scriptlets, SELinux
# permissive unless enforcing=1. upgrade-finish.sh undoes it all.
# Sets UPGRADE_RC=1 when the system cannot be made ready.

type getarg >/dev/null 2>&1 || . /lib/dracut-lib.sh

NEWROOT=${NEWROOT:-/sysroot}
UPGRADE_RUNDIR=${UPGRADE_RUNDIR:-/run/leapp-upgrade}
# upgrade_mount_opts, upgrade_remount_rw, upgrade_bind_api, upgrade_selinux_permissive: shared
# with live mode (actors/lib/boot/upgrade-mount-lib.sh)
# shellcheck source=/dev/null
. "${UPGRADE_MOUNT_LIB:-/usr/lib/leapp-upgrade/upgrade-mount-lib.sh}"

# OPTIONS with ro made rw
upgrade_opts_rw() {
    _out=""
    _ifs=$IFS
    IFS=,
    for _o in $1; do
        [ "$_o" = ro ] && _o=rw
        _out="${_out:+$_out,}$_o"
    done
    IFS=$_ifs
    echo "${_out:-rw}"
}

# Whether PATH (inside the system) names a place in it without a symlink or ".." on the way: mkdir
# and mount follow symlinks against the initramfs's /, not the system's, so an fstab mount point
# below a symlink (an absolute one above all) would land outside /sysroot. Such a mount point is
# refused rather than resolved.
upgrade_path_plain() {
    case "/$1/" in */../*|*/./*) return 1 ;; esac
    _pp=$NEWROOT
    _ifs=$IFS
    IFS=/
    set -f
    for _c in $1; do
        [ -z "$_c" ] && continue
        _pp=$_pp/$_c
        if [ -L "$_pp" ]; then
            IFS=$_ifs
            set +f
            return 1
        fi
    done
    IFS=$_ifs
    set +f
    return 0
}

upgrade_mount_fstab() {
    _fstab=$NEWROOT/etc/fstab
    [ -f "$_fstab" ] || return 0
    mkdir -p "$UPGRADE_RUNDIR"
    # parents before children: sort by mount point
    sed -e 's/#.*//' "$_fstab" | while read -r _src _mp _type _opts _rest; do
        [ -n "$_src" ] && [ -n "$_mp" ] && echo "$_mp $_src ${_type:-auto} ${_opts:-defaults}"
    done | sort > "$UPGRADE_RUNDIR/fstab"
    _failed=0
    while read -r _mp _src _type _opts; do
        case "$_mp" in /*) ;; *) continue ;; esac
        [ "$_mp" = / ] && continue
        case "$_type" in
            swap|proc|sysfs|devpts|devtmpfs|tmpfs|mqueue|hugetlbfs|debugfs|securityfs|cgroup|cgroup2|efivarfs|binfmt_misc|autofs|configfs|tracefs|bpf)
                continue ;;
            nfs|nfs4|cifs|smb3|smbfs|ceph|glusterfs|9p|sshfs|fuse.sshfs|davfs|afs|ncpfs|gfs2|ocfs2)
                warn "upgrade: not mounting $_mp ($_type): a network filesystem"
                continue ;;
        esac
        upgrade_has_opt "$_opts" noauto && continue
        if upgrade_has_opt "$_opts" _netdev; then
            warn "upgrade: not mounting $_mp: _netdev"
            continue
        fi
        _target=$NEWROOT$_mp
        if ! upgrade_path_plain "$_mp"; then
            warn "upgrade: not mounting $_mp: a symlink (or ..) in the path, which would resolve outside $NEWROOT"
            upgrade_has_opt "$_opts" nofail || _failed=1
            continue
        fi
        if [ -n "$(upgrade_mount_opts "$_target")" ]; then
            upgrade_remount_rw "$_target" || { warn "upgrade: cannot remount $_mp read-write"; _failed=1; }
            continue
        fi
        _rw=$(upgrade_opts_rw "$_opts")
        if upgrade_has_opt "$_opts" bind; then
            if ! upgrade_path_plain "$_src"; then
                warn "upgrade: not binding $_src on $_mp: a symlink (or ..) in the path, which would resolve outside $NEWROOT"
                upgrade_has_opt "$_opts" nofail || _failed=1
                continue
            fi
            _src=$NEWROOT$_src
            set -- --bind "$_src" "$_target"
        elif [ "$_type" = auto ]; then
            set -- -o "$_rw" "$_src" "$_target"
        else
            set -- -t "$_type" -o "$_rw" "$_src" "$_target"
        fi
        mkdir -p "$_target" 2>/dev/null
        if mount "$@"; then
            UPGRADE_MOUNTED="$UPGRADE_MOUNTED$_target
"
            info "upgrade: mounted $_mp"
        elif upgrade_has_opt "$_opts" nofail; then
            warn "upgrade: cannot mount $_mp ($_src), nofail: going on without it"
        else
            warn "upgrade: cannot mount $_mp ($_src)"
            _failed=1
        fi
    done < "$UPGRADE_RUNDIR/fstab"
    return $_failed
}

upgrade_prepare() {
    UPGRADE_ROOT_OPTS=$(upgrade_mount_opts "$NEWROOT")
    if [ -z "$UPGRADE_ROOT_OPTS" ]; then
        warn "upgrade: $NEWROOT is not mounted"
        UPGRADE_RC=1
        return
    fi
    if ! upgrade_remount_rw "$NEWROOT"; then
        warn "upgrade: cannot remount $NEWROOT read-write"
        UPGRADE_RC=1
        return
    fi
    upgrade_mount_fstab || UPGRADE_RC=1
    upgrade_bind_api "$NEWROOT" || UPGRADE_RC=1
    if getargbool 0 enforcing; then upgrade_selinux_permissive keep; else upgrade_selinux_permissive; fi
}

upgrade_prepare

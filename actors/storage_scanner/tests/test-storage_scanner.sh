#!/bin/bash
# storage_scanner: fstab through libmount (UUIDs, network filesystems, line numbers, bad
# lines skipped), mountinfo, the free space of /boot, /var/lib/leapp and /usr.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"

f_tmpdir
R=$F_DIR/root
mkdir -p "$R/etc" "$R/proc/self" "$R/boot" "$R/usr" "$R/var/lib"
cat >"$R/etc/fstab" <<'FSTAB'
# /etc/fstab
UUID=7b4de0ac-73b8-4654-a7e0-024c0544c784 /      xfs  defaults 0 0
/dev/vda1                                 /boot  xfs  defaults 1 2

nfs.example.com:/export/data  /mnt/data  nfs   defaults,_netdev  0 0
//fs.example.com/share        /mnt/share cifs  credentials=/root/.smb,_netdev 0 0
this line is not valid
LABEL=swap  none  swap  defaults  0 0
FSTAB
cat >"$R/proc/self/mountinfo" <<'MI'
95 1 252:2 / / rw,relatime shared:1 - xfs /dev/vda2 rw,seclabel,attr2,inode64,noquota
40 95 252:1 / /boot rw,relatime shared:60 - xfs /dev/vda1 rw,seclabel,attr2,inode64,noquota
120 95 0:52 / /mnt/data rw,relatime shared:70 - nfs4 nfs.example.com:/export/data rw,vers=4.2,rsize=1048576,addr=192.0.2.10
MI
run_actor storage_scanner "$R"
t_eq "runs" 0 "$A_RC"
t_eq "fstab targets" '"/ /boot /mnt/data /mnt/share none"' "$(msg StorageInfo '[.fstab[].target] | join(" ")')"
t_eq "fstab line numbers (blank, comment and the bad line skipped)" '"2 3 5 6 8"' "$(msg StorageInfo '[.fstab[].line] | map(tostring) | join(" ")')"
t_eq "UUID from the fstab source" '"7b4de0ac-73b8-4654-a7e0-024c0544c784"' "$(msg StorageInfo '.fstab[0].uuid')"
t_eq "network filesystems in fstab" '"/mnt/data:nfs /mnt/share:cifs"' "$(msg StorageInfo '[.fstab[] | select(.network) | "\(.target):\(.fstype)"] | join(" ")')"
t_eq "options and passno" '"defaults 1 2"' "$(msg StorageInfo '.fstab[1] | "\(.options) \(.freq) \(.passno)"')"
t_check "the bad line is logged" grep -q "/etc/fstab:7" <<<"$A_ERR"
t_eq "mounts" '"/ /boot /mnt/data"' "$(msg StorageInfo '[.mounts[].target] | join(" ")')"
t_eq "mounted nfs4 is a network filesystem" 'true' "$(msg StorageInfo '.mounts[2].network')"
t_eq "VFS and filesystem options kept apart" '"rw,relatime|rw,seclabel,attr2,inode64,noquota"' "$(msg StorageInfo '.mounts[0] | "\(.options)|\(.fs_options)"')"
t_eq "free space measured for /boot /var/lib/leapp /usr" '"/boot /var/lib/leapp /usr"' "$(msg StorageInfo '[.free_space[].path] | join(" ")')"
t_eq "/var/lib/leapp does not exist: its parent is measured" '"/var/lib"' "$(msg StorageInfo '.free_space[1].checked_path')"
t_eq "/boot's mount point from mountinfo" '"/boot"' "$(msg StorageInfo '.free_space[0].mountpoint')"
# /boot on its own small filesystem: what the /boot check needs
if mount -t tmpfs -o size=8m tmpfs "$R/boot" 2>/dev/null; then
	dd if=/dev/zero of="$R/boot/fill" bs=1M count=5 status=none
	run_actor storage_scanner "$R"
	got=$(msg StorageInfo '.free_space[0].free_bytes')
	t_check "a small /boot: about 3 MiB free" test "$got" -gt 2500000 -a "$got" -lt 3500000
	umount "$R/boot"
else
	t_fail "mount a tmpfs on /boot (needs root)"
fi

rm "$R/proc/self/mountinfo" "$R/etc/fstab"
run_actor storage_scanner "$R"
t_eq "nothing known: runs" 0 "$A_RC"
t_eq "nothing known: flags" '"false false"' "$(msg StorageInfo '"\(.fstab_known) \(.mounts_known)"')"
t_eq "nothing known: warnings" "$(k_sorted "$(k_unknown_fact /etc/fstab)" "$(k_unknown_fact /proc/self/mountinfo)")" "$(report_keys)"
t_done

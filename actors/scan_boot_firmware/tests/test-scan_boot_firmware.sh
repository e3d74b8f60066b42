#!/bin/bash
# scan_boot_firmware + efi_check_boot + check_grub_core: EFI from sys/firmware/efi, efibootmgr
# required there; on BIOS the disks under /boot (partitions, RAID members, device-mapper slaves
# through sys/block) whose first sector has GRUB.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
R=$F_DIR/root
mkdir -p "$R/dev" "$R/usr/sbin" "$R/sys/block"
mbr() { # FILE WITH-GRUB
	head -c 512 /dev/zero >"$1"
	[ "$2" = 1 ] && printf 'GRUB \0Geom\0Hard Disk\0Read\0 Error' | dd of="$1" bs=1 seek=384 conv=notrunc status=none
	head -c 4096 /dev/zero >>"$1"
}
storage() { # BOOT-SOURCE
	printf '{"fstab":[],"mounts":[{"source":"/dev/vda2","target":"/","fstype":"xfs"},{"source":"%s","target":"/boot","fstype":"xfs"}],"free_space":[]}' "$1"
}
scan() { # BOOT-SOURCE
	mk_input "$F_DIR/in0.json" "$(ipu 8.10 9.6)" StorageInfo "$(storage "$1")"
	run_actor scan_boot_firmware "$R" "$F_DIR/in0.json"
	chain_input "$F_DIR/in.json" "$(ipu 8.10 9.6)"
}
titles() { printf '%s' "$A_OUT" | jq -r '[.reports[] | "\(.title)\(if (.groups | index("inhibitor")) then " (inhibitor)" else "" end)"] | join("|")'; }

# BIOS, /boot on a partition of vda, GRUB in vda's MBR
mkdir -p "$R/sys/block/vda/vda1" "$R/sys/block/vda/vda2" "$R/sys/block/vdb/vdb1"
mbr "$R/dev/vda" 1; mbr "$R/dev/vdb" 1
scan /dev/vda1
t_eq "bios, no efibootmgr needed" '"bios"' "$(msg FirmwareFacts .firmware)"
t_eq "GRUB on vda only (vdb is not under /boot)" '["/dev/vda"]' "$(msg GrubInfo .orig_devices)"
run_actor check_grub_core "$R" "$F_DIR/in.json"
t_eq "check_grub_core says it will be updated" "GRUB2 core will be automatically updated during the upgrade" "$(titles)"
t_eq "... naming the disk" "/dev/vda" "$(printf '%s' "$A_OUT" | jq -r '.reports[0].detail.related_resources[0].title')"
run_actor efi_check_boot "$R" "$F_DIR/in.json"
t_eq "efi_check_boot: nothing on BIOS" "" "$(titles)"

# RAID1 /boot: both members' disks
mkdir -p "$R/sys/block/md127/slaves/vda1" "$R/sys/block/md127/slaves/vdb1"
scan /dev/md127
t_eq "RAID1: GRUB on both members' disks" '["/dev/vda","/dev/vdb"]' "$(msg GrubInfo .orig_devices)"
# a partition of the RAID device, and a disk without GRUB
mkdir -p "$R/sys/block/md127/md127p1"
mbr "$R/dev/vdb" 0
scan /dev/md127p1
t_eq "a partition of the RAID: its members' disks, GRUB on vda only" '["/dev/vda"]' "$(msg GrubInfo .orig_devices)"
# device-mapper (LVM on a partition of vdb, no GRUB anywhere there)
mkdir -p "$R/sys/block/dm-0/dm" "$R/sys/block/dm-0/slaves/vdb1"
echo rl-boot >"$R/sys/block/dm-0/dm/name"
scan /dev/mapper/rl-boot
t_eq "device-mapper: followed to vdb, which has no GRUB" '[]' "$(msg GrubInfo .orig_devices)"
run_actor check_grub_core "$R" "$F_DIR/in.json"
t_eq "check_grub_core: core not found is said" "Leapp could not identify where GRUB2 core is located" "$(titles)"
# no sys/block: unknown, no GrubInfo and no report
mv "$R/sys/block" "$R/sys/block.off"
scan /dev/vda1
t_eq "no sys/block: no GrubInfo" "null" "$(msg GrubInfo .)"
run_actor check_grub_core "$R" "$F_DIR/in.json"
t_eq "... and no report" "" "$(titles)"
mv "$R/sys/block.off" "$R/sys/block"

# EFI
mkdir -p "$R/sys/firmware/efi"
scan /dev/vda1
t_eq "efi" '"efi" false' "$(msg FirmwareFacts .firmware) $(msg FirmwareFacts .efibootmgr)"
t_eq "no GRUB scan on EFI" "null" "$(msg GrubInfo .)"
run_actor efi_check_boot "$R" "$F_DIR/in.json"
t_eq "EFI without efibootmgr inhibits" "efibootmgr package is required on EFI systems (inhibitor)" "$(titles)"
t_eq "the remediation installs it" '["dnf","-y","install","efibootmgr"]' "$(printf '%s' "$A_OUT" | jq -c '.reports[0].detail.remediations[] | select(.type == "command") | .context')"
printf '#!/bin/sh\n' >"$R/usr/sbin/efibootmgr"; chmod +x "$R/usr/sbin/efibootmgr"
scan /dev/vda1
run_actor efi_check_boot "$R" "$F_DIR/in.json"
t_eq "EFI with efibootmgr passes" "" "$(titles)"
t_done

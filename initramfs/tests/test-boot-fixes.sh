#!/bin/bash
# efi_interim_fix, efi_finalization_fix, update_grub_core on a small root whose efibootmgr and
# grub2-install are stand-ins (busybox scripts, run chrooted in the root) recording their
# arguments: BootNext = BootCurrent unless set, BootOrder never touched; grub2-install on every
# GRUB disk, with the report saying how it went.
. "$(dirname "$0")/../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
R=$F_DIR/root
mkdir -p "$R/usr/bin" "$R/usr/sbin" "$R/tmp"
ln -s usr/bin "$R/bin"; ln -s usr/sbin "$R/sbin"
cp /bin/busybox "$R/usr/bin/busybox"; ln -s busybox "$R/usr/bin/sh"
cat >"$R/usr/sbin/efibootmgr" <<'SH'
#!/usr/bin/busybox sh
echo "$*" >>/efibootmgr.record
if [ $# = 0 ]; then
	echo "BootCurrent: 0003"
	[ -e /bootnext ] && echo "BootNext: $(busybox cat /bootnext)"
	echo "Timeout: 1 seconds"
	echo "BootOrder: 0001,0003,0002"
	echo "Boot0001* UEFI PXEv4"
	echo "Boot0003* AlmaLinux"
fi
[ -e /efi-fails ] && exit 1
exit 0
SH
cat >"$R/usr/sbin/grub2-install" <<'SH'
#!/usr/bin/busybox sh
echo "$*" >>/grub2-install.record
[ "$1" = /dev/bad ] && { echo "grub2-install: error: cannot write $1"; exit 1; }
exit 0
SH
chmod +x "$R/usr/sbin/efibootmgr" "$R/usr/sbin/grub2-install"
input() { # FIRMWARE DEVICES-JSON
	mk_input "$F_DIR/in.json" "$(ipu 8.10 9.6)" FirmwareFacts "{\"firmware\":\"$1\",\"efibootmgr\":true}" GrubInfo "{\"orig_devices\":$2}"
}

for a in efi_interim_fix efi_finalization_fix; do
	rm -f "$R/efibootmgr.record" "$R/bootnext"
	input efi '[]'
	run_actor $a "$R" "$F_DIR/in.json"
	t_eq "$a: runs" 0 "$A_RC"
	t_eq "$a: lists, then sets BootNext to BootCurrent; no --bootorder" "|--bootnext 0003" "$(paste -sd'|' "$R/efibootmgr.record")"
	t_check "$a: logs it" grep -q "BootNext set to Boot0003" <<<"$(printf '%s' "$A_OUT" | jq -r '.logs[].message')"
done
rm -f "$R/efibootmgr.record"; echo 0001 >"$R/bootnext"
run_actor efi_interim_fix "$R" "$F_DIR/in.json"
t_eq "BootNext already set: left alone" "" "$(cat "$R/efibootmgr.record")"
rm -f "$R/efibootmgr.record"
input bios '["/dev/vda"]'
run_actor efi_interim_fix "$R" "$F_DIR/in.json"
t_eq "BIOS: efibootmgr not run" "no" "$([ -e "$R/efibootmgr.record" ] && echo yes || echo no)"
touch "$R/efi-fails"; rm -f "$R/bootnext"
input efi '[]'
run_actor efi_interim_fix "$R" "$F_DIR/in.json"
t_eq "efibootmgr failing: a warning, not a failed actor" "0 1" "$A_RC $(printf '%s' "$A_OUT" | jq '[.logs[] | select(.level == "warning")] | length')"
rm "$R/efi-fails"

input bios '["/dev/vda","/dev/vdb"]'
run_actor update_grub_core "$R" "$F_DIR/in.json"
t_eq "grub2-install on both RAID members' disks, in the root" "/dev/vda|/dev/vdb" "$(paste -sd'|' "$R/grub2-install.record")"
t_eq "reported as done" "GRUB core successfully updated info boot" "$(printf '%s' "$A_OUT" | jq -r '.reports[0] | "\(.title) \(.severity) \(.groups | join(","))"')"
rm "$R/grub2-install.record"
input bios '["/dev/vda","/dev/bad"]'
run_actor update_grub_core "$R" "$F_DIR/in.json"
t_eq "a failing disk does not stop the others" "/dev/vda|/dev/bad" "$(paste -sd'|' "$R/grub2-install.record")"
t_eq "reported as failed" "GRUB core update failed high" "$(printf '%s' "$A_OUT" | jq -r '.reports[0] | "\(.title) \(.severity)"')"
t_check "naming both" grep -q "reinstalled on /dev/vda, but grub2-install failed on /dev/bad" <<<"$(printf '%s' "$A_OUT" | jq -r '.reports[0].summary')"
rm "$R/grub2-install.record"
input efi '["/dev/vda"]'
run_actor update_grub_core "$R" "$F_DIR/in.json"
t_eq "EFI: grub2-install not run" "no" "$([ -e "$R/grub2-install.record" ] && echo yes || echo no)"
t_done

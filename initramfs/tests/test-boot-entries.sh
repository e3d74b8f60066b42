#!/bin/bash
# The upgrade boot entry and the target kernel's entry, actor by actor (standalone): the
# default entry's arguments with $kernelopts expanded and the kernel-cmdline tasks applied,
# grubenv next_entry (never the default) kept a valid 1024-byte block, through a symlink into
# the ESP too; the same entry written directly or by the system's grubby (a stand-in that
# records its arguments); removal twice over; the target kernel's entry and default.
. "$(dirname "$0")/../../tests/lib.sh"
. "$(dirname "$0")/lib-initramfs.sh"

ir_minimal
UE=$D/$MID-upgrade.x86_64.conf
OLD=$(ir_manifest 'm["kernel"]["default_entry"]')
# a second, older kernel whose entry is the default: the upgrade entry copies it, not the newest
sed -e 's/4\.18\.0-553\.el8_10/4.18.0-477.el8/g' -e 's/^options .*/options $kernelopts console=tty0 "acpi_osi=Windows 2020" $tuned_params/' \
	"$D/$OLD.conf" >"$D/$MID-4.18.0-477.el8.x86_64.conf"
grub-editenv "$R/boot/grub2/grubenv" set "saved_entry=$MID-4.18.0-477.el8.x86_64" 2>/dev/null ||
	"$PY" - "$R/boot/grub2/grubenv" "$MID" <<'PY'
import sys
p, mid = sys.argv[1], sys.argv[2]
lines = [l for l in open(p).read().rstrip('#').splitlines() if l and not l.startswith('saved_entry=')]
body = lines[0] + '\n' + f'saved_entry={mid}-4.18.0-477.el8.x86_64\n' + ''.join(l + '\n' for l in lines[1:])
open(p, 'w').write(body + '#' * (1024 - len(body)))
PY
cp "$R/boot/grub2/grubenv" "$IR_SR/grubenv.0"
KOPTS=$(ir_grubenv "$R" kernelopts)

IN=$IR_SR/in.json
cat >"$IN" <<JSON
{"workflow": {"architecture": "x86_64", "target_major": 9},
 "messages": [
  {"model": "UpgradeBootArtifacts", "data": {"kernel": "/boot/vmlinuz-upgrade.x86_64", "initramfs": "/boot/initramfs-upgrade.x86_64.img",
   "kver": "6.1.0-56-cloud-amd64", "arch": "x86_64", "kernel_bytes": 1, "initramfs_bytes": 1, "dracut": "host"}},
  {"model": "UpgradeKernelCmdlineArgTasks", "data": {"to_add": [{"key": "console", "value": "ttyS0,115200"}, {"key": "rd.lvm.lv", "value": "vg/usr"}, {"key": "console", "value": "tty0"}],
   "to_remove": [{"key": "crashkernel", "value": "nope"}, {"key": "resume"}, {"key": "rhgb"}, {"key": "enforcing"}]}},
  {"model": "UpgradeKernelCmdlineArgTasks", "data": {"to_add": [{"key": "rd.debug"}]}}
 ]}
JSON
act() { # ACTOR: run it alone on $R with $IN
	A_OUT=$("$IR_ACTORS/$1/$1" --root "$R" --input "$IN" 2>"$IR_SR/stderr"); A_RC=$?
}
msg() { jq -r ".messages[] | select(.model == \"$1\") | .data.$2" <<<"$A_OUT"; }

# ---- written directly (the system has no grubby) ----
act add_upgrade_boot_entry
t_eq "add: exit 0" 0 "$A_RC"
want="$KOPTS console=tty0 \"acpi_osi=Windows 2020\" enforcing=0 rd.plymouth=0 plymouth.enable=0 console=ttyS0,115200 rd.lvm.lv=vg/usr rd.debug"
want=${want/ rhgb/}
want=${want/ resume=UUID=$(ir_manifest 'm["storage"]["swap"]["uuid"]')/}
t_eq "options: the default entry's (\$kernelopts expanded, a quoted argument kept), tasks removed, leapp's and the tasks' added once" \
	"options $want" "$(grep '^options ' "$UE")"
t_eq "the whole entry" "title RHEL-Upgrade-Initramfs
version upgrade.x86_64
linux /vmlinuz-upgrade.x86_64
initrd /initramfs-upgrade.x86_64.img
options $want
grub_users \$grub_users
grub_arg --unrestricted
grub_class kernel" "$(cat "$UE")"
t_eq "the message: method, copied entry, grubenv" "bls $MID-4.18.0-477.el8.x86_64 /boot/grub2/grubenv" \
	"$(msg UpgradeBootEntry method) $(msg UpgradeBootEntry default_entry) $(msg UpgradeBootEntry grubenv)"
t_eq "next_entry: the upgrade entry" "$MID-upgrade.x86_64" "$(ir_grubenv "$R" next_entry)"
t_eq "saved_entry: unchanged" "$MID-4.18.0-477.el8.x86_64" "$(ir_grubenv "$R" saved_entry)"
t_eq "grubenv: 1024 bytes" 1024 "$(stat -c %s "$R/boot/grub2/grubenv")"
cp "$UE" "$IR_SR/entry.bls"
act add_upgrade_boot_entry
t_eq "add again: the same entry, one next_entry" "$(cat "$IR_SR/entry.bls")|1" "$(cat "$UE")|$(head -c 1024 "$R/boot/grub2/grubenv" | grep -c '^next_entry=')"

act remove_upgrade_boot_entry
t_eq "remove: exit 0" 0 "$A_RC"
t_check "remove: the entry is gone" test ! -e "$UE"
t_check "remove: grubenv is byte for byte what it was" cmp "$R/boot/grub2/grubenv" "$IR_SR/grubenv.0"
act remove_upgrade_boot_entry
t_eq "remove again (a resumed phase): exit 0, nothing changes" "0" "$A_RC"
t_check "remove again: says so" grep -q "is gone already" "$IR_SR/stderr"

# ---- the system's grubby (a stand-in that writes what grubby writes and records its arguments) ----
cat >"$R/usr/sbin/grubby" <<'SH'
#!/bin/sh
echo "$*" >>/grubby.record
mid=$(cat /etc/machine-id)
for a in "$@"; do
	case "$a" in
		--add-kernel=*) k=${a#--add-kernel=} ;;
		--initrd=*) i=${a#--initrd=} ;;
		--title=*) t=${a#--title=} ;;
		--args=*) o=${a#--args=} ;;
		--remove-kernel=*) rk=${a#--remove-kernel=} ;;
	esac
done
if [ -n "$rk" ]; then rm -f "/boot/loader/entries/$mid-${rk##*/vmlinuz-}.conf"; exit 0; fi
v=${k##*/vmlinuz-}
{ echo "title $t"; echo "version $v"; echo "linux ${k#/boot}"; echo "initrd ${i#/boot}"; echo "options $o"
  echo 'grub_users $grub_users'; echo "grub_arg --unrestricted"; echo "grub_class kernel"; } >"/boot/loader/entries/$mid-$v.conf"
SH
chmod +x "$R/usr/sbin/grubby"
cp "$R/usr/sbin/grubby" "$IR_SR/grubby.sh"
act add_upgrade_boot_entry
t_eq "grubby: exit 0" 0 "$A_RC"
t_eq "grubby: run chrooted in the system, with the entry's kernel, initramfs, title and whole command line" \
	"--add-kernel=/boot/vmlinuz-upgrade.x86_64 --initrd=/boot/initramfs-upgrade.x86_64.img --title=RHEL-Upgrade-Initramfs --args=$want" \
	"$(cat "$R/grubby.record")"
t_check "grubby: the entry says what the directly written one said" cmp "$UE" "$IR_SR/entry.bls"
t_eq "grubby: the message says grubby" grubby "$(msg UpgradeBootEntry method)"
t_eq "grubby: next_entry" "$MID-upgrade.x86_64" "$(ir_grubenv "$R" next_entry)"
: >"$R/grubby.record"
act remove_upgrade_boot_entry
t_eq "grubby: removed with --remove-kernel" "--remove-kernel=/boot/vmlinuz-upgrade.x86_64" "$(cat "$R/grubby.record")"
t_check "grubby: the entry is gone" test ! -e "$UE"
t_check "grubby: grubenv is what it was" cmp "$R/boot/grub2/grubenv" "$IR_SR/grubenv.0"
rm "$R/usr/sbin/grubby" "$R/grubby.record"

# ---- grubenv in the ESP, reached through a symlink ----
mkdir -p "$R/boot/efi/EFI/almalinux"
mv "$R/boot/grub2/grubenv" "$R/boot/efi/EFI/almalinux/grubenv"
ln -s ../efi/EFI/almalinux/grubenv "$R/boot/grub2/grubenv"
act add_upgrade_boot_entry
t_eq "ESP: exit 0" 0 "$A_RC"
t_eq "ESP: the link stays a link" "../efi/EFI/almalinux/grubenv" "$(readlink "$R/boot/grub2/grubenv")"
t_eq "ESP: the file in the ESP has next_entry" "$MID-upgrade.x86_64" "$(ir_grubenv "$R" next_entry)"
t_eq "ESP: the message names it" "/boot/efi/EFI/almalinux/grubenv" "$(msg UpgradeBootEntry grubenv)"
act remove_upgrade_boot_entry
t_check "ESP: removed again" cmp "$R/boot/efi/EFI/almalinux/grubenv" "$IR_SR/grubenv.0"
rm "$R/boot/grub2/grubenv"
mv "$R/boot/efi/EFI/almalinux/grubenv" "$R/boot/grub2/grubenv"

# ---- a full grubenv: an error, the block untouched ----
"$PY" - "$R/boot/grub2/grubenv" <<'PY'
import sys
p = sys.argv[1]
body = open(p).read().rstrip('#') + 'filler=' + 'x' * (1024 - len(open(p).read().rstrip('#')) - 30) + '\n'
open(p, 'w').write(body + '#' * (1024 - len(body)))
PY
cp "$R/boot/grub2/grubenv" "$IR_SR/grubenv.full"
act add_upgrade_boot_entry
t_eq "full grubenv: the actor fails" 1 "$A_RC"
t_check "full grubenv: it says why" grep -q "do not fit in its 1024 bytes" <<<"$A_OUT"
t_check "full grubenv: the block is untouched" cmp "$R/boot/grub2/grubenv" "$IR_SR/grubenv.full"
cp "$IR_SR/grubenv.0" "$R/boot/grub2/grubenv"
rm -f "$UE"

# ---- /boot on the root filesystem: paths in the entry start with /boot/ ----
sed -i -e 's|^linux /|linux /boot/|' -e 's|^initrd /|initrd /boot/|' "$D/$MID-4.18.0-477.el8.x86_64.conf"
act add_upgrade_boot_entry
t_eq "no separate /boot: linux and initrd under /boot/" "linux /boot/vmlinuz-upgrade.x86_64|initrd /boot/initramfs-upgrade.x86_64.img" \
	"$(grep '^linux ' "$UE")|$(grep '^initrd ' "$UE")"
act remove_upgrade_boot_entry
sed -i -e 's|^linux /boot/|linux /|' -e 's|^initrd /boot/|initrd /|' "$D/$MID-4.18.0-477.el8.x86_64.conf"

# ---- the target kernel's entry, with grubby, and the default ----
act add_upgrade_boot_entry
KV=6.1.0-56-cloud-amd64
cat >"$IN" <<JSON
{"workflow": {"architecture": "x86_64"},
 "messages": [
  {"model": "TargetKernelBoot", "data": {"kver": "$KV", "kernel": "/boot/vmlinuz-$KV", "initramfs": "/boot/initramfs-$KV.img", "dracut": "none"}},
  $(jq -c '.messages[] | select(.model == "UpgradeBootEntry") | {model, data}' <<<"$A_OUT")
 ]}
JSON
cp "$IR_SR/grubby.sh" "$R/usr/sbin/grubby"
act target_kernel_boot_entry
t_eq "target entry: exit 0" 0 "$A_RC"
t_eq "target entry: added by the system's grubby" \
	"--add-kernel=/boot/vmlinuz-$KV --initrd=/boot/initramfs-$KV.img --title=AlmaLinux ($KV) 8.10 (Cerulean Leopard) --args=$KOPTS console=tty0 \"acpi_osi=Windows 2020\"" \
	"$(cat "$R/grubby.record")"
TE=$D/$MID-$KV.conf
t_eq "target entry: written like the others, the default's arguments" "title AlmaLinux ($KV) 8.10 (Cerulean Leopard)
version $KV
linux /vmlinuz-$KV
initrd /initramfs-$KV.img
options $KOPTS console=tty0 \"acpi_osi=Windows 2020\"
grub_users \$grub_users
grub_arg --unrestricted
grub_class kernel" "$(cat "$TE")"
t_eq "target entry: a warning that it was missing" "${K_TARGET_KERNEL_ENTRY_CREATED} medium" "$(jq -r '.reports[] | "\(.key) \(.severity)"' <<<"$A_OUT")"
t_eq "target entry: the default now" "$MID-$KV" "$(ir_grubenv "$R" saved_entry)"
t_eq "target entry: next_entry (the upgrade entry) cleared" "" "$(ir_grubenv "$R" next_entry)"
act target_kernel_boot_entry
t_eq "target entry again: no new warning, same default" "0 $MID-$KV" "$(jq '.reports | length' <<<"$A_OUT") $(ir_grubenv "$R" saved_entry)"
t_eq "grubenv: still 1024 bytes" 1024 "$(stat -c %s "$R/boot/grub2/grubenv")"
t_done

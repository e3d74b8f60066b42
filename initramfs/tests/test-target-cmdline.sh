#!/bin/bash
# target_kernel_boot_entry and the target's kernel command line: the target entry that
# kernel-install made from the upgrade boot's /proc/cmdline gets the source default entry's
# arguments without the upgrade-only ones, with TargetKernelCmdlineArgTasks applied (removal
# wins), and a title naming the target release; on release 9 /etc/kernel/cmdline holds the same.
. "$(dirname "$0")/../../tests/lib.sh"
. "$(dirname "$0")/lib-initramfs.sh"

ir_minimal
KOPTS=$(ir_grubenv "$R" kernelopts)
KV=5.14.0-570.el9.x86_64
TE=$D/$MID-$KV.conf
UPGRADE_ARGS="enforcing=0 rd.plymouth=0 plymouth.enable=0 rd.upgrade.debug rd.upgrade.break=x rd.live.image root=live:UUID=1234"
# what kernel-install writes in the upgrade environment: /proc/cmdline of the upgrade boot, the
# source os-release's name
setup() {
	printf 'title AlmaLinux (%s) 8.10 (Cerulean Leopard)\nversion %s\nlinux /vmlinuz-%s\ninitrd /initramfs-%s.img\noptions %s %s\ngrub_users $grub_users\ngrub_arg --unrestricted\ngrub_class kernel\n' \
		"$KV" "$KV" "$KV" "$KV" "$KOPTS" "$UPGRADE_ARGS" >"$TE"
	rm -f "$R/etc/kernel/cmdline"
}
# the upgraded system's os-release
rm -f "$R/etc/os-release"
printf 'NAME="AlmaLinux"\nVERSION="9.6 (Sage Margay)"\nID="almalinux"\nVERSION_ID="9.6"\n' >"$R/etc/os-release"
input() { # TARGET-MAJOR TASKS-JSON...
	local major=$1 msgs="" t
	shift
	for t in "$@"; do msgs="$msgs, {\"model\": \"TargetKernelCmdlineArgTasks\", \"data\": $t}"; done
	cat >"$IR_SR/in.json" <<JSON
{"workflow": {"source_distro": "almalinux", "source_version": "8.10", "source_major": 8, "target_distro": "almalinux", "target_version": "$major.6", "target_major": $major, "architecture": "x86_64"},
 "messages": [
  {"model": "TargetKernelBoot", "data": {"kver": "$KV", "kernel": "/boot/vmlinuz-$KV", "initramfs": "/boot/initramfs-$KV.img", "dracut": "none"}},
  {"model": "UpgradeBootEntry", "data": {"id": "$MID-upgrade.x86_64", "file": "/boot/loader/entries/$MID-upgrade.x86_64.conf", "title": "RHEL-Upgrade-Initramfs",
   "linux": "/vmlinuz-upgrade.x86_64", "initrd": "/initramfs-upgrade.x86_64.img", "options": "x", "method": "bls"}}$msgs
 ]}
JSON
}
act() { A_OUT=$("$IR_ACTORS/target_kernel_boot_entry/target_kernel_boot_entry" --root "$R" --input "$IR_SR/in.json" 2>"$IR_SR/stderr"); A_RC=$?; }

setup
input 9 '{"to_add": [{"key": "net.naming-scheme", "value": "rhel-8.0"}, {"key": "foo", "value": "bar"}], "to_remove": [{"key": "rhgb"}]}' \
	'{"to_remove": [{"key": "foo", "value": null}]}'
act
t_eq "runs" 0 "$A_RC"
WANT="${KOPTS/ rhgb/} net.naming-scheme=rhel-8.0"
t_eq "the entry: the default's arguments, no upgrade-only ones, tasks applied" "options $WANT" "$(grep '^options ' "$TE")"
t_eq "the title names the target release" "title AlmaLinux ($KV) 9.6 (Sage Margay)" "$(grep '^title ' "$TE")"
t_eq "/etc/kernel/cmdline: the same arguments" "$WANT" "$(cat "$R/etc/kernel/cmdline")"
t_check "no upgrade-only argument in either" bash -c '! grep -qE "enforcing=0|plymouth|rd\.upgrade|rd\.live|root=live:" "$1" "$2"' _ "$TE" "$R/etc/kernel/cmdline"
t_eq "the other lines stay" "grub_users \$grub_users|grub_arg --unrestricted|grub_class kernel" "$(grep '^grub' "$TE" | paste -sd'|')"
t_eq "and it is the default" "$MID-$KV" "$(ir_grubenv "$R" saved_entry)"

setup
input 8
act
t_eq "release 8: the entry cleaned too" "options $KOPTS" "$(grep '^options ' "$TE")"
t_eq "... but no /etc/kernel/cmdline" "no" "$([ -e "$R/etc/kernel/cmdline" ] && echo yes || echo no)"

# no entry from kernel-install: leapp writes it, with the same arguments
rm "$TE"
input 9 '{"to_add": [{"key": "net.naming-scheme", "value": "rhel-8.0"}]}'
act
t_eq "a missing entry is written with the target's arguments" "options $KOPTS net.naming-scheme=rhel-8.0" "$(grep '^options ' "$TE")"
t_eq "... and /etc/kernel/cmdline" "$KOPTS net.naming-scheme=rhel-8.0" "$(cat "$R/etc/kernel/cmdline")"
t_done

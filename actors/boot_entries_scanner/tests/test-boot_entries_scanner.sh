#!/bin/bash
# boot_entries_scanner: BLS entries sorted as grub shows them, $kernelopts expanded from
# grubenv, the default entry from saved_entry, grubenv behind an absolute symlink (ESP).
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"

f_tmpdir
R=$F_DIR/root
E=$R/boot/loader/entries
mkdir -p "$E" "$R/boot/grub2" "$R/etc"
echo "0123456789abcdef0123456789abcdef" >"$R/etc/machine-id"
for v in 4.18.0-80.el8 4.18.0-553.el8_10; do
	cat >"$E/0123456789abcdef0123456789abcdef-$v.x86_64.conf" <<ENTRY
title AlmaLinux ($v.x86_64) 8.10
version $v.x86_64
linux /vmlinuz-$v.x86_64
initrd /initramfs-$v.x86_64.img \$tuned_initrd
options \$kernelopts \$tuned_params
id almalinux-$v.x86_64
grub_users \$grub_users
grub_arg --unrestricted
grub_class kernel
ENTRY
done
{
	printf '# GRUB Environment Block\n'
	printf 'saved_entry=0123456789abcdef0123456789abcdef-4.18.0-80.el8.x86_64\n'
	printf 'kernelopts=root=/dev/mapper/rl-root ro crashkernel=auto rhgb quiet\n'
	printf 'tuned_params=skew_tick=1\n'
	printf 'boot_success=0\n'
} >"$F_DIR/grubenv"
head -c 1024 <(cat "$F_DIR/grubenv"; yes '#' | tr -d '\n') >"$F_DIR/grubenv.block"
mkdir -p "$R/boot/efi/EFI/almalinux"
cp "$F_DIR/grubenv.block" "$R/boot/efi/EFI/almalinux/grubenv"
ln -s /boot/efi/EFI/almalinux/grubenv "$R/boot/grub2/grubenv"
run_actor boot_entries_scanner "$R"
t_eq "runs" 0 "$A_RC"
t_eq "entries, newest first" '"4.18.0-553.el8_10.x86_64 4.18.0-80.el8.x86_64"' "$(msg BootInfo '[.entries[].version] | join(" ")')"
t_eq "\$kernelopts and \$tuned_params expanded" '"root=/dev/mapper/rl-root ro crashkernel=auto rhgb quiet skew_tick=1"' "$(msg BootInfo '.entries[0].options')"
t_eq "raw options kept" '"$kernelopts $tuned_params"' "$(msg BootInfo '.entries[0].options_raw')"
t_eq "an unset variable in initrd drops out" '["/initramfs-4.18.0-553.el8_10.x86_64.img"]' "$(msg BootInfo '.entries[0].initrd')"
t_eq "default from saved_entry (an absolute grubenv symlink is followed under the root)" \
	'"0123456789abcdef0123456789abcdef-4.18.0-80.el8.x86_64 4.18.0-80.el8.x86_64"' "$(msg BootInfo '"\(.default_entry) \(.default_kernel)"')"
t_eq "grubenv variables" '"0"' "$(msg BootInfo '.grubenv.boot_success')"
t_eq "machine id" '"0123456789abcdef0123456789abcdef"' "$(msg BootInfo .machine_id)"
printf '# GRUB Environment Block\nkernelopts=root=/dev/vda2\n' >"$R/boot/efi/EFI/almalinux/grubenv"
run_actor boot_entries_scanner "$R"
t_eq "no saved_entry: the first (newest) entry" '"4.18.0-553.el8_10.x86_64"' "$(msg BootInfo .default_kernel)"
rm -r "$R/boot"
run_actor boot_entries_scanner "$R"
t_eq "no /boot: no entries, no default" '"0 null false"' "$(msg BootInfo '"\(.entries | length) \(.default_entry) \(.grubenv_present)"')"
t_done

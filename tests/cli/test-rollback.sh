#!/bin/bash
# leapp rollback before the reboot (issue 23, item 4) with test actors: what it removes and
# restores (a planted upgrade entry, kernel, initramfs, grubenv's next_entry, target userspace,
# package cache), --keep-cache, and its refusals: nothing prepared, the upgrade already started
# after the reboot, a second rollback. The whole demo upgrade: tests/upgrade/test-rollback-demo.sh.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../engine/lib-engine.sh"
. "$(dirname "$0")/lib-cli.sh"

# a grubenv as GRUB writes it: 1024 bytes padded with '#'
grubenv() { { printf '# GRUB Environment Block\n'; printf '%s\n' "$@"; } | "$PY" -c 'import sys; s=sys.stdin.read(); sys.stdout.write(s + "#" * (1024 - len(s)))'; }

new_root; root=$ROOT
mk_actor "$root" prep InterimPreparation chain "" TestValue
mk_actor "$root" initram InitRamStart chain TestValue TestValue
echo 0123456789abcdef0123456789abcdef >"$root/etc/machine-id"
mkdir -p "$root/boot/grub2" "$root/boot/loader/entries"
grubenv "saved_entry=0123456789abcdef0123456789abcdef-4.18.0" >"$root/boot/grub2/grubenv"
chmod 600 "$root/boot/grub2/grubenv"
echo "title el8" >"$root/boot/loader/entries/0123456789abcdef0123456789abcdef-4.18.0.conf"
genv_before=$(sha256sum <"$root/boot/grub2/grubenv")

cli "$root" rollback
t_rc "rollback with no leapp state: exit 1" 1
t_has "it says there is no state" "$C_ERR" "no leapp state here"

cli "$root" upgrade
t_rc "upgrade to the reboot: exit 0" 0
t_check "the record of grubenv was taken" test -s "$root/var/lib/leapp/rollback/grubenv"
# what the boot actors and the target userspace would have made (the test actors make nothing)
grubenv "saved_entry=0123456789abcdef0123456789abcdef-4.18.0" "next_entry=0123456789abcdef0123456789abcdef-upgrade.x86_64" \
	>"$root/boot/grub2/grubenv"
chmod 644 "$root/boot/grub2/grubenv"
echo "title upgrade" >"$root/boot/loader/entries/0123456789abcdef0123456789abcdef-upgrade.x86_64.conf"
echo k >"$root/boot/vmlinuz-upgrade.x86_64"
echo i >"$root/boot/initramfs-upgrade.x86_64.img"
mkdir -p "$root/var/lib/leapp/el9userspace/usr/bin" "$root/var/lib/leapp/packages" "$root/var/lib/leapp/transaction-test"
echo p >"$root/var/lib/leapp/packages/bash.rpm"
chmod 555 "$root/var/lib/leapp/el9userspace/usr/bin" "$root/var/lib/leapp/el9userspace"

# a snapshot set as snapshot_take leaves it; lvm is a stub recording its argv (no device-mapper here)
mkdir -p "$root/var/lib/leapp/snapshots"
echo '{"lvs": ["vg0/root_leapp_rollback", "vg0/var_leapp_rollback"]}' >"$root/var/lib/leapp/snapshots/manifest.json"
printf '#!/bin/sh\necho "$*" >>"%s"\n' "$root/lvm.log" >"$root/lvm-stub"
chmod +x "$root/lvm-stub"

LEAPP_DEVEL_LVM=$root/lvm-stub cli "$root" rollback --keep-cache
t_rc "rollback: exit 0" 0
t_eq "the snapshots are removed by argv" "lvremove -y vg0/root_leapp_rollback|lvremove -y vg0/var_leapp_rollback|" "$(tr '\n' '|' <"$root/lvm.log")"
t_check "and the set" test ! -e "$root/var/lib/leapp/snapshots"
rm "$root/lvm.log" "$root/lvm-stub"
t_has "it says the system is as before" "$C_OUT" "The system is as it was before leapp upgrade"
t_has "it names what it removed" "$C_OUT" "/boot/loader/entries/0123456789abcdef0123456789abcdef-upgrade.x86_64.conf"
t_has "it says the cache stays" "$C_OUT" "(--keep-cache)"
t_eq "grubenv is byte for byte as before leapp upgrade" "$genv_before" "$(sha256sum <"$root/boot/grub2/grubenv")"
t_eq "with its mode" 600 "$(stat -c %a "$root/boot/grub2/grubenv")"
t_eq "the upgrade entry, kernel and initramfs are gone, the old entry stays" \
	"grub2 loader 0123456789abcdef0123456789abcdef-4.18.0.conf" "$(ls "$root/boot" "$root/boot/loader/entries" | grep -v ':$' | xargs)"
t_check "the target userspace and the test's files are gone" test ! -e "$root/var/lib/leapp/el9userspace" -a ! -e "$root/var/lib/leapp/transaction-test"
t_check "--keep-cache kept the packages" test -s "$root/var/lib/leapp/packages/bash.rpm"
t_check "no reboot is pending, no record is left" test ! -e "$root/var/lib/leapp/reboot-required" -a ! -e "$root/var/lib/leapp/rollback"
t_eq "the store says rolled-back" rolled-back "$(db "$root" "select status from executions where kind='upgrade'")"

cli "$root" rollback
t_rc "a second rollback: exit 1" 1
t_has "it says it was already rolled back" "$C_ERR" "was already rolled back: there is nothing to undo"
cli "$root" upgrade --resume
t_rc "--resume after the rollback: exit 1" 1
t_has "it says why" "$C_ERR" "was rolled back (leapp rollback): run leapp upgrade again"

# without --keep-cache the packages go; once the interim ran, rollback refuses
cli "$root" upgrade
t_rc "upgrade again: exit 0" 0
cli "$root" upgrade --resume
t_rc "the interim ran (--resume): exit 0" 0
cli "$root" rollback
t_rc "rollback on the upgraded system without snapshots: exit 1" 1
t_has "it says there is no snapshot set (tests/cli/test-rollback-upgraded.sh has one)" "$C_ERR" "the upgrade was made without snapshots"
db "$root" "update executions set status='failed', next_phase='RPMUpgrade' where kind='upgrade'"
cli "$root" rollback
t_rc "rollback after the upgrade failed in RPMUpgrade: exit 1" 1
t_has "it says the upgrade already started" "$C_ERR" "has already started after the reboot"
t_check "the packages are untouched by the refusal" test -s "$root/var/lib/leapp/packages/bash.rpm"
cli "$root" upgrade
t_rc "a fresh upgrade: exit 0" 0
cli "$root" rollback
t_rc "rollback: exit 0" 0
t_check "without --keep-cache the packages are gone" test ! -e "$root/var/lib/leapp/packages"

cli "$root" rollback extra
t_rc "an extra argument: exit 2" 2
cli "$root" rollback --help
t_has "--help lists --keep-cache" "$C_OUT" "--keep-cache"
t_done

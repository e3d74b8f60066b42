#!/bin/bash
# The acceptance test of issue 9: the whole demo upgrade, as the README's first command
# (scripts/demo.sh) runs it, with every actor of the build: leapp preupgrade, leapp upgrade, the
# reboot into the upgrade initramfs (leapp upgrade --resume, as upgrade.service runs it) and the
# first boot of the upgraded system (leapp upgrade --resume, as leapp_resume.service runs it).
# All four exit 0, the two reboots are announced; afterwards the rpmdb holds exactly the
# manifest's expected target packages and the old kernel, the admin's %config(noreplace) file is
# kept with .rpmnew beside it, the el9 scriptlet ran, sshd_config includes sshd_config.d, the
# target kernel has its BLS entry and initramfs and is the default, the upgrade entry, its boot
# files and the resume service are gone, and the report has no errors.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-upgrade.sh"

u_init
u_sysroot demo demo || { t_fail "mksysroot demo"; t_done; exit 1; }
R=$(u_root demo)
M=$(u_manifest demo)
KVER=$(jq -r .kernel.target.kver "$M")
MID=$(cat "$R/etc/machine-id")
ARCH=$(uname -m)

t0=$SECONDS
u_leapp demo preupgrade
t_eq "leapp preupgrade exits 0" 0 "$U_RC" || u_show demo
u_leapp demo upgrade
t_eq "leapp upgrade exits 0" 0 "$U_RC" || u_show demo
t_check "leapp upgrade announces the reboot into the upgrade initramfs" grep -q "A reboot is required to continue" <(tail -3 "$U_DIR/demo.out")
t_check "the upgrade boot entry is there, booted once" test -s "$R/boot/loader/entries/$MID-upgrade.$ARCH.conf"
t_check "grubenv boots the upgrade entry next" grep -aq "^next_entry=$MID-upgrade.$ARCH" "$R/boot/grub2/grubenv"

t_check "until the reboot the rpmdb is el8's BerkeleyDB" test -f "$R/var/lib/rpm/Packages" -a ! -e "$R/var/lib/rpm/rpmdb.sqlite"
u_leapp demo upgrade --resume
t_eq "the interim resume (upgrade.service) exits 0" 0 "$U_RC" || u_show demo
t_check "the interim rebuilt the rpmdb in sqlite before the RPM transaction, with its time in the log" grep -qE \
	"rpmdb_rebuild: rebuilt the RPM database from bdb to sqlite: [0-9]+ packages in [0-9.]+ s" "$R/var/log/leapp/leapp-upgrade.log"
t_check "the rpmdb is sqlite now, nothing of the rebuild left" test -f "$R/var/lib/rpm/rpmdb.sqlite" -a ! -e "$R/var/lib/rpm/Packages" \
	-a ! -e "$R/var/lib/rpmrebuilddb.leapp" -a ! -e "$R/var/lib/rpmrebuilddb.leapp.verified"
t_check "no librpm warning about the BerkeleyDB reached the console" bash -c "! grep -qiE 'bdb_ro|Packages database' '$U_DIR/demo.out'"
t_check "it announces the reboot into the upgraded system" grep -q "A reboot is required to continue" <(tail -3 "$U_DIR/demo.out")
t_check "leapp_resume.service is installed for the first boot" grep -q "^ExecStart=/usr/bin/leapp upgrade --resume$" \
	"$R/etc/systemd/system/leapp_resume.service"
t_eq "and enabled for multi-user.target" /etc/systemd/system/leapp_resume.service \
	"$(readlink "$R/etc/systemd/system/multi-user.target.wants/leapp_resume.service")"
u_probe demo
t_eq "the RPM upgrade ran the tested transaction, not resumed" "upgraded false" \
	"$(u_msg demo RPMUpgradeResult '"\(.status) \(.resumed)"')"
t_eq "its elements: the installs and erasures of the plan" \
	"$(jq '[.transaction[] | select(.action != "remove" and .action != "obsolete")] | length' "$R/var/log/leapp/transaction.json")" \
	"$(u_msg demo RPMUpgradeResult .installs)"
t_eq "the leftovers of the old release are the old kernel only" "0 3" \
	"$(u_msg demo LeftoverPackages '"\(.items | length) \(.installonly | length)"')"

u_leapp demo upgrade --resume
t_eq "the first-boot resume (leapp_resume.service) exits 0" 0 "$U_RC" || u_show demo
t_check "no further reboot is announced" bash -c "! tail -3 '$U_DIR/demo.out' | grep -q 'A reboot is required'"
u_leapp demo upgrade --resume
t_eq "there is nothing left to resume" 1 "$U_RC"
t_check "leapp says the upgrade has finished" grep -q "has finished: there is nothing to resume" <(tail -3 "$U_DIR/demo.out")
echo "# the demo upgrade took $((SECONDS - t0)) s"

u_check_upgraded demo
# the boot side
t_check "the target kernel is in /boot" test -s "$R/boot/vmlinuz-$KVER"
t_check "the target kernel has its initramfs" test -s "$R/boot/initramfs-$KVER.img"
t_check "the target kernel has its BLS entry" grep -q "^linux .*vmlinuz-$KVER$" "$R/boot/loader/entries/$MID-$KVER.conf"
t_check "the entry names the initramfs" grep -q "^initrd .*initramfs-$KVER.img" "$R/boot/loader/entries/$MID-$KVER.conf"
t_check "the target entry keeps release 8's NIC names (net.naming-scheme=rhel-8.0, issue 19)" \
	grep -q "^options .*net.naming-scheme=rhel-8.0" "$R/boot/loader/entries/$MID-$KVER.conf"
t_check "... and so does /etc/kernel/cmdline for later kernels" grep -q "net.naming-scheme=rhel-8.0" "$R/etc/kernel/cmdline"
t_check "the target kernel is the default (grubenv saved_entry)" grep -aqx "saved_entry=$MID-$KVER" "$R/boot/grub2/grubenv"
t_check "the old kernel's entry stays" test -s "$R/boot/loader/entries/$(jq -r .kernel.default_entry "$M").conf"
t_eq "the upgrade entry and its boot files are gone" "" \
	"$(cd "$R/boot" && ls -A . loader/entries | grep -- '-upgrade\.' | tr '\n' ' ')"
t_check "grubenv boots nothing once any more" bash -c "! grep -aq '^next_entry=.\+' '$R/boot/grub2/grubenv'"
t_done

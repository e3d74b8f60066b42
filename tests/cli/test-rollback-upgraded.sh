#!/bin/bash
# leapp rollback on the upgraded system (issue 23, item 5) with test actors and a stub lvm
# (LEAPP_DEVEL_LVM) that records its argv and answers lvs from files: this machine has no
# device-mapper, so the merge itself is not exercised. The refusals (no set, an incomplete set, a
# missing snapshot, an overflowed snapshot, already rolled back), the happy path (merge of each
# snapshot by argv, /boot's entries and grubenv put back, the upgraded system's logs and store
# kept in /boot/leapp-rollback), a second run, and the source release's first boot reporting it
# (leapp rollback boot-report).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../engine/lib-engine.sh"
. "$(dirname "$0")/lib-cli.sh"

new_root; root=$ROOT
mk_actor "$root" prep InterimPreparation chain "" TestValue
mk_actor "$root" fin Finalization chain TestValue TestValue
mk_actor "$root" first FirstBoot chain TestValue TestValue
MID=0123456789abcdef0123456789abcdef
echo $MID >"$root/etc/machine-id"
mkdir -p "$root/boot/grub2" "$root/boot/loader/entries"

cli "$root" upgrade
t_rc "upgrade to the reboot: exit 0" 0
cli "$root" rollback
t_rc "before the reboot there is no set either: the pre-reboot rollback runs" 0
cli "$root" upgrade
cli "$root" upgrade --resume
t_rc "the interim, to the reboot into the upgraded system: exit 0" 0
t_eq "the store: reboot, FirstBoot next" "reboot|FirstBoot" "$(db "$root" "select status, next_phase from executions where kind='upgrade' order by id desc limit 1")"

# the upgraded system's /boot; the set as snapshot_take left it before the upgrade
echo "title el9" >"$root/boot/loader/entries/$MID-5.14.0.conf"
echo "title el8" >"$root/boot/loader/entries/$MID-4.18.0.conf"
printf 'saved_entry=%s-5.14.0\n' $MID >"$root/boot/grub2/grubenv"
chmod 600 "$root/boot/grub2/grubenv"
S=$root/var/lib/leapp/snapshots
mk_set() {
	rm -rf "$S"
	mkdir -p "$S/boot/loader/entries" "$S/boot/grub2"
	echo "title el8" >"$S/boot/loader/entries/$MID-4.18.0.conf"
	echo "title upgrade" >"$S/boot/loader/entries/$MID-upgrade.x86_64.conf"
	printf 'saved_entry=%s-4.18.0\n' $MID >"$S/boot/grub2/grubenv"
	cat >"$S/manifest.json" <<JSON
{"lvs": ["vg0/root_leapp_rollback", "vg0/var_leapp_rollback"],
 "boot": ["/boot/loader/entries/$MID-4.18.0.conf", "/boot/loader/entries/$MID-upgrade.x86_64.conf", "/boot/grub2/grubenv"]}
JSON
}
LV=$root/lvs.d
mk_lvs() { # ROOT_ATTR VAR_ATTR ("" = the snapshot does not exist)
	rm -rf "$LV"; mkdir -p "$LV"
	[ -n "$1" ] && echo "  $1" >"$LV/root_leapp_rollback"
	[ -n "$2" ] && echo "  $2" >"$LV/var_leapp_rollback"
	: >"$root/lvm.log"
}
cat >"$root/lvm" <<SH
#!/bin/sh
echo "\$*" >>"$root/lvm.log"
case "\$1" in
lvs) f="$LV/\${4#*/}"; [ -f "\$f" ] || { echo "  Failed to find logical volume \$4" >&2; exit 5; }; cat "\$f" ;;
lvconvert) [ "\$2" = --merge ] && sed -i 's/^  s/  S/' "$LV/\${4#*/}" ;;
esac
exit 0
SH
chmod +x "$root/lvm"
export LEAPP_DEVEL_LVM=$root/lvm
merges() { grep -c '^lvconvert' "$root/lvm.log"; }
boot_state() { echo "$(ls "$root/boot/loader/entries" | xargs) $(cat "$root/boot/grub2/grubenv")"; }
before=$(boot_state)

mk_lvs "swi-a-s--- 12.50" "swi-a-s--- 3.00"
cli "$root" rollback
t_rc "no snapshot set: exit 1" 1
t_has "it says there is none and why" "$C_ERR" "the upgrade was made without snapshots (leapp upgrade --snapshot)"
mk_set; rm "$S/manifest.json"; echo '{"lvs": ["vg0/root_leapp_rollback"]}' >"$S/pending.json"
cli "$root" rollback
t_rc "a partial set (no manifest.json): exit 1" 1
t_has "it says the set is incomplete" "$C_ERR" "is incomplete: it has no manifest.json"
mk_set
mk_lvs "swi-a-s--- 12.50" ""
cli "$root" rollback
t_rc "a snapshot of the set is gone: exit 1" 1
t_has "it names it" "$C_ERR" "the snapshot set is incomplete: lvm lvs vg0/var_leapp_rollback"
mk_lvs "swi-a-s--- 12.50" "swi-I-s--- 100.00"
cli "$root" rollback
t_rc "an overflowed (invalid) snapshot: exit 1" 1
t_has "it names it and says what to do" "$C_ERR" "the snapshot vg0/var_leapp_rollback is invalid (it overflowed"
rm "$S/boot/grub2/grubenv"; mk_lvs "swi-a-s--- 12.50" "swi-a-s--- 3.00"
cli "$root" rollback
t_rc "the set's copy of grubenv is missing: exit 1" 1
t_has "it names the file" "$C_ERR" "its copy of /boot/grub2/grubenv is missing"
t_eq "no refusal merged anything" 0 "$(merges)"
t_eq "no refusal touched /boot" "$before" "$(boot_state)"
t_check "no refusal kept anything on /boot" test ! -e "$root/boot/leapp-rollback"

mk_set
mk_lvs "swi-a-s--- 12.50" "swi-a-s--- 3.00"
echo "the upgraded system's log" >"$root/var/log/leapp/leapp-upgrade.log"
cli "$root" rollback
t_rc "a complete set: exit 0" 0
t_eq "each snapshot merged, by argv" "lvconvert --merge -y vg0/root_leapp_rollback|lvconvert --merge -y vg0/var_leapp_rollback" \
	"$(grep '^lvconvert' "$root/lvm.log" | tr '\n' '|' | sed 's/|$//')"
t_eq "the entries and grubenv are the recorded ones (the target's and the upgrade's entries are gone)" \
	"$MID-4.18.0.conf saved_entry=$MID-4.18.0" "$(boot_state)"
t_eq "grubenv keeps its mode" 600 "$(stat -c %a "$root/boot/grub2/grubenv")"
t_has "it says what it did" "$C_OUT" "the snapshot vg0/var_leapp_rollback: merge into its origin scheduled"
t_has "it names the removed entry" "$C_OUT" "/boot/loader/entries/$MID-5.14.0.conf removed"
t_has "it says the reboot completes it" "$C_OUT" "Reboot now to complete the rollback"
K=$root/boot/leapp-rollback
t_eq "the upgraded system's log and store are kept in /boot/leapp-rollback" "the upgraded system's log|SQLite" \
	"$(cat "$K/log/leapp-upgrade.log")|$(head -c 6 "$K/leapp.db")"
t_check "with the reason" grep -q "^leapp rollback was run on the upgraded system" "$K/reason"
reason=$(cat "$K/reason")

: >"$root/lvm.log"
cli "$root" rollback
t_rc "a second run before the reboot: exit 0" 0
t_eq "it merges nothing again (both already merging)" 0 "$(merges)"
t_has "it says so" "$C_OUT" "the snapshot vg0/root_leapp_rollback: its merge was already scheduled"
t_eq "/boot is the same" "$MID-4.18.0.conf saved_entry=$MID-4.18.0" "$(boot_state)"
t_eq "the kept reason is the first run's" "$reason" "$(cat "$K/reason")"

# the merge: the root is as it was when the snapshots were taken (simulated: the set without
# its manifest, as snapshot_take had written only pending.json then); /boot keeps the record
mv "$S/manifest.json" "$S/pending.json"
cli "$root" rollback boot-report
t_rc "the source's first boot: boot-report exits 0" 0
t_has "it says the upgrade was rolled back and why" "$C_OUT" "leapp: why: leapp rollback was run on the upgraded system"
d=$(ls -d "$root"/var/log/leapp/rollback/*/ 2>/dev/null)
t_eq "the kept attempt moved to /var/log/leapp/rollback/<time>/" "the upgraded system's log|$reason" \
	"$(cat "$d/log/leapp-upgrade.log" 2>&1)|$(cat "$d/reason" 2>&1)"
t_check "/boot/leapp-rollback is gone" test ! -e "$K"
t_has "the motd says it" "$(cat "$root/etc/motd.d/leapp-rollback.motd")" "the upgrade was rolled back"
t_has "... and where the logs are" "$(cat "$root/etc/motd.d/leapp-rollback.motd")" "/var/log/leapp/rollback/$(basename "$d")/"
t_eq "the store says rolled-back" rolled-back "$(db "$root" "select status from executions where kind='upgrade' order by id desc limit 1")"
t_check "the stale set is gone" test ! -e "$S"
cli "$root" rollback boot-report
t_rc "boot-report again: exit 0" 0
t_has "nothing to report" "$C_OUT" "There is no rollback to report"
cli "$root" rollback
t_rc "rollback after the rollback: exit 1" 1
t_has "it says it was already rolled back" "$C_ERR" "was already rolled back"
cli "$root" rollback boot-report extra
t_rc "boot-report with an extra argument: exit 2" 2

# FirstBoot ran and an actor of it failed: the upgrade ends "failed" with no next phase, and it
# is still the upgraded system
new_root; r2=$ROOT
mk_actor "$r2" prep InterimPreparation chain "" TestValue
mk_actor "$r2" first FirstBoot exit3 TestValue ""
cli "$r2" upgrade
cli "$r2" upgrade --resume
cli "$r2" upgrade --resume
t_eq "FirstBoot failed: the store says failed, no next phase" "failed|" \
	"$(db "$r2" "select status, ifnull(next_phase, '') from executions where kind='upgrade' order by id desc limit 1")"
cli "$r2" rollback
t_rc "rollback there without a set: exit 1" 1
t_has "it is taken for the upgraded system (no snapshot set), not for an upgrade that did not prepare the reboot" \
	"$C_ERR" "the upgrade was made without snapshots"
t_done

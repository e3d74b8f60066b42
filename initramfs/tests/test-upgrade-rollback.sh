#!/bin/bash
# 85sys-upgrade-redhat's upgrade-rollback.sh (issue 23, item 3) against a tree, with dracut's
# library and lvm stubbed (no device-mapper here: the merge itself is not exercised): a failed
# upgrade with a complete snapshot set keeps the logs, report and store in /boot/leapp-rollback,
# puts /boot's entries and grubenv back, merges each snapshot (lvconvert --merge, by argv) and
# asks for the reboot; success, no set, a partial set, snapshot.on_failure: shell,
# rd.upgrade.rollback=0 and a failed merge leave the emergency shell (no reboot). After the
# (simulated) merge, leapp rollback boot-report moves what the hook kept to /var/log/leapp/rollback.
. "$(dirname "$0")/../../tests/lib.sh"

HOOK=$T_TOP/initramfs/85sys-upgrade-redhat/upgrade-rollback.sh
S=$(t_tmpdir)
mkdir -p "$S/stubs"
cat >"$S/stubs/lvm" <<'SH'
#!/bin/sh
echo "lvm $*" >>"$CALLS"
case "$*" in *"$LVM_FAIL"*) [ -n "$LVM_FAIL" ] && exit 5 ;; esac
exit 0
SH
chmod +x "$S/stubs/lvm"
cat >"$S/dracut-lib.sh" <<'SH'
getarg() { for a in $CMDLINE; do case "$a" in "$1"=*) echo "${a#*=}"; return 0 ;; "$1") return 0 ;; esac; done; return 1; }
getargbool() { v=$(getarg "$2") || return $(( $1 == 0 )); case "$v" in 0|no|off) return 1 ;; esac; return 0; }
info() { echo "info: $*" >>"$CALLS"; }
warn() { echo "warn: $*" >>"$CALLS"; }
SH
export CALLS=$S/calls PATH=$S/stubs:$PATH NEWROOT=$S/sysroot
R=$S/sysroot

mk_root() { # a root after a failed upgrade, with a set as snapshot_take leaves it
	rm -rf "$R" "$CALLS"
	mkdir -p "$R/etc" "$R/boot/loader/entries" "$R/boot/grub2" "$R/var/log/leapp" "$R/var/lib/leapp/snapshots/boot/loader/entries" \
		"$R/var/lib/leapp/snapshots/boot/grub2"
	echo "title el9" >"$R/boot/loader/entries/abc-6.1.0.conf"
	echo "saved_entry=abc-6.1.0" >"$R/boot/grub2/grubenv"
	echo "the log" >"$R/var/log/leapp/leapp-upgrade.log"
	echo "the report" >"$R/var/log/leapp/leapp-report.txt"
	echo "db" >"$R/var/lib/leapp/leapp.db"
	echo "title el8" >"$R/var/lib/leapp/snapshots/boot/loader/entries/abc-4.18.0.conf"
	echo "saved_entry=abc-4.18.0" >"$R/var/lib/leapp/snapshots/boot/grub2/grubenv"
	printf 'vg0/root_leapp_rollback\nvg0/var_leapp_rollback\n' >"$R/var/lib/leapp/snapshots/lvs.txt"
	echo rollback >"$R/var/lib/leapp/snapshots/on-failure"
	echo '{}' >"$R/var/lib/leapp/snapshots/manifest.json"
	touch "$CALLS"
}
run_hook() { # UPGRADE_RC [CMDLINE]
	(
		. "$S/dracut-lib.sh"
		UPGRADE_RC=$1 UPGRADE_REBOOT=0 CMDLINE=${2:-}
		. "$HOOK"
		echo "reboot=$UPGRADE_REBOOT" >>"$CALLS"
	)
}

mk_root
run_hook 1
t_eq "a failed upgrade with a set: each snapshot merged, by argv, then the reboot" \
	"lvm lvconvert --merge -y vg0/root_leapp_rollback|lvm lvconvert --merge -y vg0/var_leapp_rollback|reboot=1" \
	"$(grep -E '^(lvm|reboot=)' "$CALLS" | tr '\n' '|' | sed 's/|$//')"
t_eq "the failed attempt's log, report and store are kept in /boot/leapp-rollback" "the log|the report|db" \
	"$(cat "$R/boot/leapp-rollback/log/leapp-upgrade.log" "$R/boot/leapp-rollback/log/leapp-report.txt" "$R/boot/leapp-rollback/leapp.db" | tr '\n' '|' | sed 's/|$//')"
t_check "with the reason" grep -q "the upgrade failed in the upgrade initramfs (exit 1)" "$R/boot/leapp-rollback/reason"
t_eq "/boot's entries are the recorded ones (the new one is gone)" "abc-4.18.0.conf" "$(ls "$R/boot/loader/entries")"
t_eq "grubenv is the recorded one" "saved_entry=abc-4.18.0" "$(cat "$R/boot/grub2/grubenv")"

# the reboot merges the volumes (simulated: the tree as the snapshot has it: no manifest yet, no
# store here); /boot is not merged, and the source's first boot (leapp-rollback-report.service,
# leapp rollback boot-report) reports the rollback from what the hook kept there
rm -rf "$R/var/log/leapp" "$R/var/lib/leapp/leapp.db" "$R/var/lib/leapp/snapshots/manifest.json"
out=$("$T_LEAPP" rollback boot-report --root "$R" 2>&1)
t_eq "the source's first boot: boot-report exits 0" 0 $?
t_check "it says why, as the hook wrote it" grep -q "leapp: why: the upgrade failed in the upgrade initramfs (exit 1)" <<<"$out"
d=$(ls -d "$R"/var/log/leapp/rollback/*/ 2>/dev/null)
t_eq "the failed attempt's log, report and store are in /var/log/leapp/rollback/<time>/" "the log|the report|db" \
	"$(cat "$d/log/leapp-upgrade.log" "$d/log/leapp-report.txt" "$d/leapp.db" 2>&1 | tr '\n' '|' | sed 's/|$//')"
t_check "... and no longer on /boot" test ! -e "$R/boot/leapp-rollback"
t_check "the message of the day says it" grep -q "the upgrade was rolled back" "$R/etc/motd.d/leapp-rollback.motd"
t_check "the stale snapshot set is gone" test ! -e "$R/var/lib/leapp/snapshots"

mk_root
run_hook 0
t_eq "a successful upgrade: nothing" "reboot=0" "$(cat "$CALLS")"
mk_root
rm "$R/var/lib/leapp/snapshots/manifest.json"
run_hook 1
t_eq "a partial set (no manifest): nothing" "reboot=0" "$(cat "$CALLS")"
t_check "... /boot untouched" test -e "$R/boot/loader/entries/abc-6.1.0.conf"
mk_root
echo shell >"$R/var/lib/leapp/snapshots/on-failure"
run_hook 1
t_check "snapshot.on_failure: shell: no merge, no reboot" bash -c "! grep -q '^lvm' '$CALLS' && grep -q reboot=0 '$CALLS'"
t_check "... and it says so" grep -q "not rolling back" "$CALLS"
mk_root
run_hook 1 "rd.upgrade.rollback=0"
t_check "rd.upgrade.rollback=0: no merge, no reboot" bash -c "! grep -q '^lvm' '$CALLS' && grep -q reboot=0 '$CALLS'"
mk_root
LVM_FAIL=var_leapp_rollback run_hook 1
t_check "a failed merge: no reboot (the emergency shell)" grep -q "reboot=0" "$CALLS"
t_check "... and it says the rollback is incomplete" grep -q "the rollback is incomplete" "$CALLS"
t_done

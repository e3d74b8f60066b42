#!/bin/bash
# snapshot_take (issue 23, item 2), run standalone with a stub lvm (LEAPP_DEVEL_LVM) that records
# its argv: this machine has no device-mapper, so no real snapshot is taken here. The lvcreate
# commands and sizes from the SnapshotPlan, the copy of /boot's entries and GRUB files, the
# manifest written last; a failed lvcreate leaves no set and no snapshot; a kill in the middle
# leaves a partial set (no manifest) that the next run removes, snapshots included.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
R=$F_DIR/root
S=$R/var/lib/leapp/snapshots
mkdir -p "$R/boot/loader/entries" "$R/boot/grub2" "$R/var/lib/leapp"
echo "title el8" >"$R/boot/loader/entries/abc-4.18.0.conf"
echo "title upgrade" >"$R/boot/loader/entries/abc-upgrade.x86_64.conf"
printf 'saved_entry=abc-4.18.0\n' >"$R/boot/grub2/grubenv"
STUB=$F_DIR/lvm
LOG=$F_DIR/lvm.log
cat >"$STUB" <<'SH'
#!/bin/sh
echo "$*" >>"$STUB_LOG"
case "$*" in *"$STUB_FAIL"*) [ -n "$STUB_FAIL" ] && { echo "stub: failing on purpose" >&2; exit 5; } ;; esac
case "$*" in *"$STUB_KILL"*) [ -n "$STUB_KILL" ] && kill -9 $PPID ;; esac
exit 0
SH
chmod +x "$STUB"
export LEAPP_DEVEL_LVM=$STUB STUB_LOG=$LOG
vol() { # VG LV BYTES [POOL]
	local type=linear pool=null
	[ -n "${4:-}" ] && { type=thin; pool="\"$4\""; }
	printf '{"paths":["/"],"device":"/dev/mapper/%s-%s","vg":"%s","lv":"%s","lv_type":"%s","thin_pool":%s,"estimate_bytes":%s,"problem":null}' \
		"$1" "$2" "$1" "$2" "$type" "$pool" "$3"
}
take() { # REQUESTED
	printf '{"messages":[{"model":"SnapshotPlan","data":{"requested":%s,"possible":true,"margin_percent":50,"estimate_bytes":1,"vgs":[],"volumes":[%s,%s]}}]}' \
		"$1" "$(vol vg0 root 471859200)" "$(vol vg0 var 268435456 pool0)" >"$F_DIR/in.json"
	: >"$LOG"
	run_actor snapshot_take "$R" "$F_DIR/in.json"
}

take false
t_eq "not requested: no lvm command, no set" "0||" "$A_RC|$(cat "$LOG")|$(ls -A "$S" 2>/dev/null)"

take true
t_eq "requested: exit 0" 0 "$A_RC"
t_eq "lvcreate by argv: a thick snapshot sized from the plan, a thin one without size" \
	"lvcreate --snapshot --name root_leapp_rollback --size 471859200b vg0/root|lvcreate --snapshot --name var_leapp_rollback --setactivationskip n vg0/var|" \
	"$(tr '\n' '|' <"$LOG")"
t_check "the manifest is there" test -s "$S/manifest.json"
t_eq "it lists the snapshots" "vg0/root_leapp_rollback vg0/var_leapp_rollback" "$(jq -r '.lvs | join(" ")' "$S/manifest.json")"
t_eq "and the copied files of /boot" "/boot/grub2/grubenv /boot/loader/entries/abc-4.18.0.conf /boot/loader/entries/abc-upgrade.x86_64.conf" \
	"$(jq -r '.boot | sort | join(" ")' "$S/manifest.json")"
t_eq "lvs.txt lists them for the initramfs, one a line" "vg0/root_leapp_rollback|vg0/var_leapp_rollback|" "$(tr '\n' '|' <"$S/lvs.txt")"
t_eq "on-failure: rollback by default" rollback "$(cat "$S/on-failure")"
t_check "grubenv is copied" cmp "$R/boot/grub2/grubenv" "$S/boot/grub2/grubenv"
t_check "the entries are copied" cmp "$R/boot/loader/entries/abc-4.18.0.conf" "$S/boot/loader/entries/abc-4.18.0.conf"

printf '{"messages":[{"model":"SnapshotPlan","data":{"requested":true,"possible":true,"margin_percent":50,"estimate_bytes":1,"vgs":[],"volumes":[%s]}}],"config":{"on_failure":"shell"}}' \
	"$(vol vg0 root 471859200)" >"$F_DIR/in.json"
run_actor snapshot_take "$R" "$F_DIR/in.json"
t_eq "snapshot.on_failure: shell is recorded" shell "$(cat "$S/on-failure")"
take true
t_eq "a second run removes the earlier set first, then takes a new one" \
	"lvremove -y vg0/root_leapp_rollback|lvcreate --snapshot --name root_leapp_rollback|lvcreate --snapshot --name var_leapp_rollback" \
	"$(head -3 "$LOG" | cut -d' ' -f1-4 | tr '\n' '|' | sed 's/|$//')"
rm -rf "$S"

STUB_FAIL="var_leapp_rollback --setactivationskip" take true
t_check "a failed lvcreate fails the actor" test "$A_RC" != 0
t_check "it says none are left" grep -q "cannot take the LVM snapshots: none are left" <<<"$A_OUT$A_ERR"
t_eq "the snapshots made are removed" "lvremove -y vg0/root_leapp_rollback|lvremove -y vg0/var_leapp_rollback|" "$(sed -n '3,$p' "$LOG" | tr '\n' '|')"
t_check "no set is left" test ! -e "$S"

STUB_KILL="var_leapp_rollback" take true
t_check "killed during the second lvcreate: the actor died" test "$A_RC" != 0
# the killed standalone actor could not remove its scratch directory in this test's TMPDIR
rm -rf "${TMPDIR:?}"/leapp-actor-scratch.*
t_check "a partial set: pending.json, no manifest" test -s "$S/pending.json" -a ! -e "$S/manifest.json"
take false
t_eq "the next run removes the partial set's snapshots" "lvremove -y vg0/root_leapp_rollback|lvremove -y vg0/var_leapp_rollback|" "$(tr '\n' '|' <"$LOG")"
t_check "and the set" test ! -e "$S"

# with the upgrade initramfs's entry (UpgradeBootEntry) and a grubenv whose next_entry boots it
# once: the set records /boot as the rollback must boot it, without either
{ printf '# GRUB Environment Block\nsaved_entry=abc-4.18.0\nnext_entry=abc-upgrade.x86_64\n'; } |
	python3 -c 'import sys; s=sys.stdin.read(); sys.stdout.write(s + "#" * (1024 - len(s)))' >"$R/boot/grub2/grubenv"
printf '{"messages":[{"model":"SnapshotPlan","data":{"requested":true,"possible":true,"margin_percent":50,"estimate_bytes":1,"vgs":[],"volumes":[%s]}},{"model":"UpgradeBootEntry","data":{"id":"abc-upgrade.x86_64","file":"/boot/loader/entries/abc-upgrade.x86_64.conf","title":"upgrade","linux":"/vmlinuz-upgrade.x86_64","initrd":"/initramfs-upgrade.x86_64.img","options":"ro","method":"bls","grubenv":"/boot/grub2/grubenv","default_entry":"abc-4.18.0"}}]}' \
	"$(vol vg0 root 471859200)" >"$F_DIR/in.json"
run_actor snapshot_take "$R" "$F_DIR/in.json"
t_eq "with UpgradeBootEntry: exit 0" 0 "$A_RC"
t_eq "the upgrade entry is not in the set" "/boot/grub2/grubenv /boot/loader/entries/abc-4.18.0.conf" \
	"$(jq -r '.boot | sort | join(" ")' "$S/manifest.json")"
t_check "nor its copy" test ! -e "$S/boot/loader/entries/abc-upgrade.x86_64.conf"
t_eq "the copy of grubenv has no next_entry, the default stays" "saved_entry=abc-4.18.0" "$(grep -v '^#' "$S/boot/grub2/grubenv")"
t_eq "it is still a 1024-byte block" 1024 "$(stat -c %s "$S/boot/grub2/grubenv")"
t_check "the system's grubenv keeps its next_entry" grep -q "^next_entry=abc-upgrade.x86_64" "$R/boot/grub2/grubenv"
t_done

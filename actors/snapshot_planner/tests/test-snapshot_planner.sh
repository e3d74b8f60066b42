#!/bin/bash
# snapshot_planner (issue 23, item 1): the volumes of /, /usr, /var, /opt, /home from fstab under
# the root, LVM facts from /etc/lvm/backup/<vg> (tests/data/vg0: written by hand in the format
# lvm2 writes: 5119 extents of 4 MiB,
# root 2560 + var 512+256 + home 512 allocated, 1279 free), the estimate from the planned
# transaction, the report entry with the numbers, and the inhibitor when snapshots are
# requested (snapshot.enabled, or LEAPP_SNAPSHOT=1 from leapp upgrade --snapshot) but not possible.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
R=$F_DIR/root
mkdir -p "$R/etc/lvm/backup"
cp "$(dirname "$0")/data/vg0" "$R/etc/lvm/backup/vg0"
fstab_lvm() {
	cat >"$R/etc/fstab" <<FSTAB
/dev/mapper/vg0-root  /      xfs  defaults 0 0
UUID=0b3a2c1d-7d2e-4c5b-9a51-3f2b9e1c0d4e /boot xfs defaults 0 0
/dev/mapper/vg0-var   /var   xfs  defaults 0 0
/dev/vg0/home         /home  xfs  defaults 0 0
FSTAB
}
MIB=$((1024 * 1024))
# plan PACKAGE-MIB [CONFIG-JSON]: run the actor with a planned transaction of that many MiB of packages
plan() {
	local pt
	pt=$(jq -nc --argjson s $(($1 * MIB / 2)) '{status: "planned", counts: {}, problems: [], repos: [], kept: [],
		rpmdb_fingerprint: "1:x", items: [
		{action: "upgrade", name: "a", version: "1", release: "1", arch: "x86_64", repo: "r", reason: "x", size: $s},
		{action: "install", name: "b", version: "1", release: "1", arch: "x86_64", repo: "r", reason: "x", size: $s},
		{action: "remove", name: "c", version: "1", release: "1", arch: "x86_64", repo: "@System", reason: "x", size: 999999999}]}')
	printf '{"workflow":%s,"config":%s,"messages":[{"model":"PlannedTransaction","data":%s}]}' \
		"$(ipu 8.10 9.6)" "${2:-{\}}" "$pt" >"$F_DIR/in.json"
	run_actor snapshot_planner "$R" "$F_DIR/in.json"
}
title() { printf '%s' "$A_OUT" | jq -r '[.reports[].title] | join("|")'; }
summary() { printf '%s' "$A_OUT" | jq -r '.reports[0].summary'; }

fstab_lvm
plan 100
t_eq "100 MiB of packages: the actor succeeds" 0 "$A_RC"
t_eq "rollback is possible (info, not requested)" "Rollback is possible: LVM snapshots can protect the upgrade" "$(title)"
t_eq "no inhibitor" "" "$(inhibitor_keys)"
t_eq "the plan: possible, not requested" "true false" "$(msgr SnapshotPlan '"\(.possible) \(.requested)"')"
t_eq "three volumes: / (with /usr, /opt), /var, /home" '[["/","/usr","/opt"],["/var"],["/home"]]' "$(msg SnapshotPlan '[.volumes[].paths]')"
t_eq "their LVs" "vg0/root vg0/var vg0/home" "$(msgr SnapshotPlan '[.volumes[] | "\(.vg)/\(.lv)"] | join(" ")')"
t_eq "the estimate: 100 MiB of packages x 3" $((300 * MIB)) "$(msgr SnapshotPlan .estimate_bytes)"
t_eq "/ (holds /usr): 300 MiB + 50%; /var and /home: the 256 MiB floor" "$((450 * MIB)) $((256 * MIB)) $((256 * MIB))" \
	"$(msgr SnapshotPlan '[.volumes[].estimate_bytes] | map(tostring) | join(" ")')"
t_eq "vg0: 1279 free extents of 4 MiB, 113 + 64 + 64 needed" "vg0 4194304 1279 241" \
	"$(msgr SnapshotPlan '.vgs[0] | "\(.name) \(.extent_size_bytes) \(.free_extents) \(.needed_extents)"')"
t_check "the summary has the numbers" grep -q "volume group vg0: 1279 free extents of 4 MiB (5116 MiB), the snapshots need 241 (964 MiB)" <<<"$(summary)"
t_check "the summary names each volume" grep -q "/dev/mapper/vg0-root (/, /usr, /opt): logical volume vg0/root: a snapshot of 450 MiB" <<<"$(summary)"

plan 100 '{"enabled": true}'
t_eq "requested and possible: no inhibitor" "" "$(inhibitor_keys)"
t_eq "the plan says requested" "true true" "$(msgr SnapshotPlan '"\(.possible) \(.requested)"')"

plan 1200
t_eq "1200 MiB of packages, not requested: not possible, no inhibitor" "Rollback is not possible: the system volumes cannot be snapshotted|" "$(title)|$(inhibitor_keys)"
t_check "the numbers say not enough" grep -q "the snapshots need 1478 (5912 MiB): NOT ENOUGH" <<<"$(summary)"
plan 1200 '{"enabled": true}'
t_eq "requested in the configuration and not possible: an inhibitor" "LVM snapshots were requested but cannot be taken" "$(title)"
t_check "it is an inhibitor" test -n "$(inhibitor_keys)"
LEAPP_SNAPSHOT=1 plan 1200
t_check "requested by --snapshot (LEAPP_SNAPSHOT=1): an inhibitor" test -n "$(inhibitor_keys)"
plan 1200 '{"enabled": true, "margin_percent": 0, "paths": ["/"]}'
t_eq "a margin of 0 and only /: 900 + 0 extents fit" "" "$(inhibitor_keys)"
t_eq "only / is selected" '[["/"]]' "$(msg SnapshotPlan '[.volumes[].paths]')"

sed -i 's|^/dev/mapper/vg0-root|UUID=4f1c2b3a-aaaa-bbbb-cccc-0123456789ab|' "$R/etc/fstab"
plan 10 '{"enabled": true}'
t_check "/ by UUID: not an LV as fstab names it, inhibits" grep -q "UUID=4f1c2b3a-aaaa-bbbb-cccc-0123456789ab is not an LVM logical volume" <<<"$(summary)"
t_check "... an inhibitor" test -n "$(inhibitor_keys)"

fstab_lvm
head -40 "$(dirname "$0")/data/vg0" >"$R/etc/lvm/backup/vg0"
plan 10 '{"enabled": true}'
t_eq "a truncated backup: the actor still succeeds" 0 "$A_RC"
t_check "the problem names the file and line" grep -q "/etc/lvm/backup/vg0:41: a section is not closed with '}'" <<<"$(summary)"
t_check "... and inhibits" test -n "$(inhibitor_keys)"
rm "$R/etc/lvm/backup/vg0"
plan 10
t_check "no backup: says so" grep -q "/etc/lvm/backup/vg0: missing (no metadata backup of the volume group)" <<<"$(summary)"

# tests/data/vgt-lvm2: written by lvm2 2.03.16 itself, on a 2 GiB loop device, without
# device-mapper (lvcreate --driverloaded n --activate n --zero n): root 800 MiB then extended by
# 100 MiB (two segments), var 300 MiB; 511 extents of 4 MiB, 211 free as "vgs" said
cp "$(dirname "$0")/data/vgt-lvm2" "$R/etc/lvm/backup/vgt"
printf '/dev/vgt/root / xfs defaults 0 0\n/dev/mapper/vgt-var /var xfs defaults 0 0\n' >"$R/etc/fstab"
plan 100
t_eq "lvm2's own backup: vgt, 211 free extents of 4 MiB, 113 + 64 needed" "vgt 4194304 211 177" \
	"$(msgr SnapshotPlan '.vgs[0] | "\(.name) \(.extent_size_bytes) \(.free_extents) \(.needed_extents)"')"
t_eq "... possible, both volumes linear" "true linear linear" "$(msgr SnapshotPlan '"\(.possible) \(.volumes[0].lv_type) \(.volumes[1].lv_type)"')"
plan 200
t_check "... 900 MiB for / does not fit" grep -q "volume group vgt: 211 free extents of 4 MiB (844 MiB), the snapshots need 289 (1156 MiB): NOT ENOUGH" <<<"$(summary)"
t_done

#!/bin/bash
# Issue 23, item 1 on the demo system: leapp preupgrade reports whether a rollback is possible,
# with the numbers, from an LVM fstab and /etc/lvm/backup/vg0 (the fixture of
# actors/snapshot_planner/tests/data, written by hand in lvm2's format); snapshots requested in
# /etc/leapp/actor_conf.d (snapshot.enabled) or with --snapshot and not possible inhibit.
. "$(dirname "$0")/../lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"

sysroot demo || { t_fail "mksysroot demo"; t_done; exit 1; }
R=$SR/root
mkdir -p "$R/etc/lvm/backup" "$R/etc/leapp/actor_conf.d"
cp "$T_TOP/actors/snapshot_planner/tests/data/vg0" "$R/etc/lvm/backup/vg0"
sed -i -E 's|^[^#[:space:]]+([[:space:]]+/[[:space:]])|/dev/mapper/vg0-root\1|; s|^[^#[:space:]]+([[:space:]]+/var[[:space:]])|/dev/mapper/vg0-var\1|' "$R/etc/fstab"
grep -q "^/dev/mapper/vg0-root" "$R/etc/fstab" || printf '/dev/mapper/vg0-root / xfs defaults 0 0\n' >>"$R/etc/fstab"
REP=$R/var/log/leapp/leapp-report.json
entry() { jq -r --arg t "$1" "[.entries[] | select(.title == \$t)] | last | $2" "$REP"; }
POSSIBLE="Rollback is possible: LVM snapshots can protect the upgrade"
REQUESTED="LVM snapshots were requested but cannot be taken"

"$T_LEAPP" preupgrade --root "$R" >"$SR/pre1.out" 2>&1
rc=$?
[ -s "$REP" ] || { echo "# preupgrade: exit $rc, $(wc -c <"$SR/pre1.out") bytes of output"; tail -15 "$SR/pre1.out" | sed 's/^/#   /'; }
t_eq "the report says a rollback is possible (info)" info "$(entry "$POSSIBLE" .severity)"
t_check "with the volume group's numbers" grep -q "volume group vg0: 1279 free extents of 4 MiB (5116 MiB), the snapshots need" <<<"$(entry "$POSSIBLE" .summary)"
t_check "and the root volume's" grep -q "/dev/mapper/vg0-root (/, /usr, .*): logical volume vg0/root: a snapshot of 256 MiB" <<<"$(entry "$POSSIBLE" .summary)"
echo "# the plan on the demo system:"; entry "$POSSIBLE" .summary | sed 's/^/#   /'

printf 'snapshot:\n  enabled: true\n  min_size_mib: 8000\n' >"$R/etc/leapp/actor_conf.d/snapshot.yaml"
"$T_LEAPP" preupgrade --root "$R" >"$SR/pre2.out" 2>&1
t_eq "requested in actor_conf.d and not possible (8000 MiB each): inhibited, exit 3" 3 "$?"
t_eq "the inhibitor" "high inhibitor" "$(entry "$REQUESTED" '"\(.severity) \(.groups | index("inhibitor") | if . then "inhibitor" else "-" end)"')"
t_check "with the numbers" grep -q ": NOT ENOUGH" <<<"$(entry "$REQUESTED" .summary)"

printf 'snapshot:\n  min_size_mib: 8000\n' >"$R/etc/leapp/actor_conf.d/snapshot.yaml"
"$T_LEAPP" preupgrade --root "$R" >"$SR/pre3.out" 2>&1
t_eq "not requested: not possible is no inhibitor" null "$(entry "$REQUESTED" .title)"
"$T_LEAPP" preupgrade --snapshot --root "$R" >"$SR/pre4.out" 2>&1
t_eq "--snapshot requests them: inhibited, exit 3" 3 "$?"
t_eq "the inhibitor" "$REQUESTED" "$(entry "$REQUESTED" .title)"
t_done

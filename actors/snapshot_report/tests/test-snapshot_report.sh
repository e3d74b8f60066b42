#!/bin/bash
# snapshot_report (FirstBoot, issue 23 item 5), standalone with a stub lvm (LEAPP_DEVEL_LVM) that
# records its argv and answers lvs: no set, no entry; each snapshot's size and fill level; high
# and "about to overflow" at 80% or more; a snapshot lvs cannot show; the hints name leapp
# snapshot remove and leapp rollback.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
R=$F_DIR/root
S=$R/var/lib/leapp/snapshots
mkdir -p "$S"
cat >"$F_DIR/lvm" <<SH
#!/bin/sh
echo "\$*" >>"$F_DIR/lvm.log"
f="$F_DIR/lvs.d/\${7#*/}"
[ -f "\$f" ] || { echo "  Failed to find logical volume \$7" >&2; exit 5; }
echo "  WARNING: a warning on stderr" >&2
cat "\$f"
SH
chmod +x "$F_DIR/lvm"
export LEAPP_DEVEL_LVM=$F_DIR/lvm
mkdir -p "$F_DIR/lvs.d"
entry() { printf '%s' "$A_OUT" | jq -r ".reports[0] | $1"; }

run_actor snapshot_report "$R"
t_eq "no set: exit 0, no entry, no lvm" "0 0 no-log" "$A_RC $(printf '%s' "$A_OUT" | jq '.reports | length') $(test -e "$F_DIR/lvm.log" && echo log || echo no-log)"

echo '{"lvs": ["vg0/root_leapp_rollback", "vg0/var_leapp_rollback"]}' >"$S/manifest.json"
echo "  471859200   12.50" >"$F_DIR/lvs.d/root_leapp_rollback"
echo "  268435456   41.00" >"$F_DIR/lvs.d/var_leapp_rollback"
run_actor snapshot_report "$R"
t_eq "a set: exit 0, one entry" "0 1" "$A_RC $(printf '%s' "$A_OUT" | jq '.reports | length')"
t_eq "lvs by argv" "lvs --noheadings --nosuffix --units b -olv_size,data_percent vg0/root_leapp_rollback" "$(head -1 "$F_DIR/lvm.log")"
t_eq "info, the title says what to do" "info|LVM snapshots of the upgrade are kept: commit the upgrade or roll it back" \
	"$(entry .severity)|$(entry .title)"
t_check "each snapshot's size and fill level" grep -q "vg0/root_leapp_rollback: 450 MiB, 12.5% full" <<<"$(entry .summary)"
t_check "... the other" grep -q "vg0/var_leapp_rollback: 256 MiB, 41.0% full" <<<"$(entry .summary)"
t_check "the hint names leapp snapshot remove and leapp rollback" \
	bash -c 'grep -q "leapp snapshot remove" <<<"$1" && grep -q "leapp rollback" <<<"$1"' _ "$(entry '.detail.remediations[0].context')"

echo "  268435456   85.25" >"$F_DIR/lvs.d/var_leapp_rollback"
run_actor snapshot_report "$R"
t_eq "85% full: high, about to overflow" "high|An LVM snapshot of the upgrade is about to overflow" "$(entry .severity)|$(entry .title)"
t_check "the line says so" grep -q "vg0/var_leapp_rollback: 256 MiB, 85.2% full - about to overflow" <<<"$(entry .summary)"
echo "  268435456   80.00" >"$F_DIR/lvs.d/var_leapp_rollback"
run_actor snapshot_report "$R"
t_eq "exactly 80%: high" high "$(entry .severity)"
echo "  268435456   79.90" >"$F_DIR/lvs.d/var_leapp_rollback"
run_actor snapshot_report "$R"
t_eq "79.9%: info" info "$(entry .severity)"

rm "$F_DIR/lvs.d/var_leapp_rollback"
run_actor snapshot_report "$R"
t_eq "a snapshot lvs cannot show: exit 0, high" "0 high" "$A_RC $(entry .severity)"
t_check "it names it" grep -q "vg0/var_leapp_rollback: lvm lvs failed" <<<"$(entry .summary)"
t_done

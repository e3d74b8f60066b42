#!/bin/bash
# leapp snapshot status | remove (issue 23, item 5) on a snapshot set as snapshot_take leaves it,
# with a stub lvm (LEAPP_DEVEL_LVM) that records its argv and answers lvs: this machine has no
# device-mapper. The fill level, the warning at 80%, remove, and no set.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../engine/lib-engine.sh"
. "$(dirname "$0")/lib-cli.sh"

new_root; root=$ROOT
mk_actor "$root" facts FactsCollection chain "" TestValue
cli "$root" preupgrade
t_rc "preupgrade (makes the state directory): exit 0" 0
cli "$root" snapshot status
t_rc "status without a set: exit 0" 0
t_has "it says there is none" "$C_ERR" "there is no snapshot set in"

S=$root/var/lib/leapp/snapshots
mkdir -p "$S"
echo '{"lvs": ["vg0/root_leapp_rollback", "vg0/var_leapp_rollback"]}' >"$S/manifest.json"
cat >"$root/lvm" <<SH
#!/bin/sh
echo "\$*" >>"$root/lvm.log"
case "\$*" in
lvs*root_leapp_rollback) echo "  471859200   12.50" ;;
lvs*var_leapp_rollback) echo "  268435456   91.00" ;;
esac
exit 0
SH
chmod +x "$root/lvm"
export LEAPP_DEVEL_LVM=$root/lvm

cli "$root" snapshot status
t_rc "status: exit 0" 0
t_eq "the root snapshot: 450 MiB, 12.5% full" "450 12.5" "$(awk '$1 == "vg0/root_leapp_rollback" {print $2, $3}' <<<"$C_OUT")"
t_eq "the var snapshot: 256 MiB, 91% full" "256 91.0" "$(awk '$1 == "vg0/var_leapp_rollback" {print $2, $3}' <<<"$C_OUT")"
t_has "a warning for the one about to overflow" "$C_ERR" "the snapshot vg0/var_leapp_rollback is 91.0% full"
t_hasnt "none for the other" "$C_ERR" "vg0/root_leapp_rollback is"
t_eq "lvs by argv" "lvs --noheadings --nosuffix --units b -olv_size,data_percent vg0/root_leapp_rollback" "$(head -1 "$root/lvm.log")"
cli "$root" snapshot status --json
t_eq "--json" '[["vg0/root_leapp_rollback",471859200,12.5],["vg0/var_leapp_rollback",268435456,91]]' \
	"$(printf '%s' "$C_OUT" | jq -c '[.[] | [.snapshot, .size_bytes, .data_percent]]')"

: >"$root/lvm.log"
cli "$root" snapshot remove
t_rc "remove: exit 0" 0
t_eq "lvremove of each, by argv" "lvremove -y vg0/root_leapp_rollback|lvremove -y vg0/var_leapp_rollback|" "$(tr '\n' '|' <"$root/lvm.log")"
t_check "the set is gone" test ! -e "$S"
t_has "it says there is no way back" "$C_OUT" "The upgrade can no longer be rolled back."
cli "$root" snapshot remove
t_rc "remove again: exit 0" 0
t_has "nothing to remove" "$C_OUT" "There is no snapshot set to remove."
cli "$root" snapshot
t_rc "no subcommand: exit 2" 2
cli "$root" snapshot status extra
t_rc "an extra argument: exit 2" 2
t_done

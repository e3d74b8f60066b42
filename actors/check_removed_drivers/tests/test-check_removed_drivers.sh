#!/bin/bash
# check_removed_drivers: a loaded driver the target removed inhibits; an unmaintained one warns.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
mods() { local IFS=,; local m="" x; for x in "$@"; do m="$m${m:+,}{\"name\":\"$x\"}"; done; printf '{"known":true,"modules":[%s]}' "$m"; }
mk_input "$F_DIR/in.json" "$(ipu 8.10 9.6)" LoadedKernelModules "$(mods xfs virtio_net liquidio)"
run_actor check_removed_drivers / "$F_DIR/in.json"
t_eq "liquidio (7 and 8 only) inhibits for 9" "${K_REMOVED_DRIVER}" "$(inhibitor_keys)"
t_check "names the driver" grep -q "liquidio" <<<"$(report ${K_REMOVED_DRIVER} .summary)"
t_eq "related resource" "kernel-driver:liquidio" "$(report ${K_REMOVED_DRIVER} '.detail.related_resources[] | "\(.scheme):\(.title)"')"
mk_input "$F_DIR/in.json" "$(ipu 7.9 8.10)" LoadedKernelModules "$(mods liquidio)"
run_actor check_removed_drivers / "$F_DIR/in.json"
t_eq "liquidio for target 8: not removed" "" "$(inhibitor_keys)"
mk_input "$F_DIR/in.json" "$(ipu 8.10 9.6)" LoadedKernelModules "$(mods ip_tables xfs)"
run_actor check_removed_drivers / "$F_DIR/in.json"
t_eq "ip_tables: deprecated in 9, a warning" "${K_DEPRECATED_DRIVER}" "$(report_keys)"
f_tmpdir
mkdir -p "$F_DIR/root/etc/leapp/files"
echo '{"data": [' >"$F_DIR/root/etc/leapp/files/device_driver_deprecation_data.json"
mk_input "$F_DIR/in.json" "$(ipu 8.10 9.6)" LoadedKernelModules "$(mods xfs)"
run_actor check_removed_drivers "$F_DIR/root" "$F_DIR/in.json"
t_eq "a broken data file inhibits" "$(t_key high "A data file leapp needs cannot be read")" "$(inhibitor_keys)"
t_done

#!/bin/bash
# check_nvidia_proprietary_driver: nvidia modules loaded (or bound to a device) inhibit; the
# in-tree nvidiafb and i2c_nvidia_gpu do not.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
T='Proprietary NVIDIA driver detected'
entry() { printf '%s' "$A_OUT" | jq -c --arg t "$T" "[.reports[] | select(.title == \$t)] | last | $1"; }
titles() { printf '%s' "$A_OUT" | jq -r '[.reports[].title] | join("|")'; }
mods() { local m="" x; for x; do m="$m${m:+,}{\"name\":\"$x\"}"; done; printf '{"known":true,"modules":[%s]}' "$m"; }
mk_input "$F_DIR/in.json" "$(ipu 8.10 9.6)" LoadedKernelModules "$(mods xfs nvidia_drm nvidia_modeset nvidia)"
run_actor check_nvidia_proprietary_driver / "$F_DIR/in.json"
t_eq "nvidia loaded: high inhibitor" '"high" ["kernel","drivers","inhibitor"]' "$(entry .severity) $(entry .groups)"
t_eq "the modules named" '["nvidia_drm","nvidia_modeset","nvidia"]' "$(entry '[.detail.related_resources[].title]')"
mk_input "$F_DIR/in.json" "$(ipu 8.10 9.6)" LoadedKernelModules "$(mods xfs)" PCIDevices '{"known":true,"devices":[{"slot":"0000:01:00.0","pci_id":"10de:1eb8:10de:12a2","driver":"nvidia"}]}'
run_actor check_nvidia_proprietary_driver / "$F_DIR/in.json"
t_eq "bound to a device, not loaded: inhibitor" "$T" "$(titles)"
mk_input "$F_DIR/in.json" "$(ipu 8.10 9.6)" LoadedKernelModules "$(mods nvidiafb i2c_nvidia_gpu nouveau)"
run_actor check_nvidia_proprietary_driver / "$F_DIR/in.json"
t_eq "in-tree drivers: nothing" "" "$(titles)"
t_done

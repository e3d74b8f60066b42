#!/bin/bash
# check_upgrade_path: no path, an unknown distribution, or a --target outside the path inhibit.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
check() { mk_input "$F_DIR/in.json" "$(ipu 8.10 9.6)" UpgradePath "$1"; run_actor check_upgrade_path / "$F_DIR/in.json"; }
check '{"distro":"almalinux","source_version":"8.10","allowed_targets":["9.6"],"target":"9.6","problem":"none"}'
t_eq "a path: nothing" "" "$(report_keys)"
check '{"distro":"almalinux","source_version":"8.6","problem":"no-path"}'
t_eq "no path: inhibitor" "${K_NO_UPGRADE_PATH}" "$(inhibitor_keys)"
t_eq "no path: remediation command" '["dnf","upgrade"]' "$(report ${K_NO_UPGRADE_PATH} '.detail.remediations[] | select(.type == "command") | .context | tojson')"
check '{"distro":"ol","source_version":"8.10","problem":"no-distro"}'
t_eq "unknown distribution: inhibitor" "${K_NO_UPGRADE_PATH}" "$(inhibitor_keys)"
check '{"distro":"almalinux","source_version":"8.10","allowed_targets":["9.5","9.6"],"default_target":"9.6","requested_target":"9.20","target":"9.20","problem":"target-not-allowed"}'
t_eq "target not allowed: inhibitor" "${K_UPGRADE_TARGET_NOT_ALLOWED}" "$(inhibitor_keys)"
t_check "lists the allowed targets" grep -q "9.5, 9.6" <<<"$(report ${K_UPGRADE_TARGET_NOT_ALLOWED} .summary)"
t_eq "command with the default target" '["leapp","preupgrade","--target","9.6"]' "$(report ${K_UPGRADE_TARGET_NOT_ALLOWED} '.detail.remediations[] | select(.type == "command") | .context | tojson')"
t_done

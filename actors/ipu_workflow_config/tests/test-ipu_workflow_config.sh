#!/bin/bash
# ipu_workflow_config: source from os-release, target from --target or upgrade_paths.json's
# default (the highest listed), exact VERSION_ID lookup with centos' _virtual_versions,
# the architecture, and the inhibitors for a missing os-release or a broken data file.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"

# mkroot ID VERSION_ID [osrelease]: a root with os-release and the kernel release
mkroot() {
	f_tmpdir
	R=$F_DIR/root
	mkdir -p "$R/etc" "$R/proc/sys/kernel"
	printf 'NAME="Test"\nID="%s"\nVERSION_ID="%s"\nID_LIKE="rhel centos fedora"\nPRETTY_NAME="Test %s"\n' "$1" "$2" "$2" >"$R/etc/os-release"
	echo "${3:-4.18.0-553.el8_10.x86_64}" >"$R/proc/sys/kernel/osrelease"
}

mkroot almalinux 8.10
run_actor ipu_workflow_config "$R"
t_eq "runs" 0 "$A_RC"
t_eq "source" '"almalinux 8.10 8"' "$(msg IPUConfig '"\(.source_distro) \(.source_version) \(.source_major)"')"
t_eq "default target is the highest listed (9.9)" '"9.9 9"' "$(msg IPUConfig '"\(.target_version) \(.target_major)"')"
t_eq "path key is the exact VERSION_ID" '"8.10"' "$(msg UpgradePath .matched_key)"
t_eq "no problem" '"none"' "$(msg UpgradePath .problem)"
t_eq "architecture from the kernel release" '"x86_64"' "$(msg IPUConfig .architecture)"
t_eq "running kernel" '"4.18.0-553.el8_10.x86_64"' "$(msg IPUConfig .kernel)"
t_eq "OSRelease" '"almalinux 8.10 ["rhel","centos","fedora"]"' "$(msg OSRelease '"\(.release_id) \(.version_id) \(.id_like|tojson)"' | sed 's/\\"/"/g')"
t_eq "no reports" "" "$(report_keys)"

LEAPP_UPGRADE_PATH_TARGET_RELEASE=9.6 run_actor ipu_workflow_config "$R"
t_eq "--target 9.6 is used" '"9.6"' "$(msg IPUConfig .target_version)"
t_eq "--target recorded" '"--target 9.6"' "$(msg IPUConfig .upgrade_path_source)"
t_eq "--target allowed" '"none"' "$(msg UpgradePath .problem)"

LEAPP_UPGRADE_PATH_TARGET_RELEASE=9.20 run_actor ipu_workflow_config "$R"
t_eq "--target outside the path" '"target-not-allowed"' "$(msg UpgradePath .problem)"
t_eq "the requested target is still what IPUConfig names" '"9.20"' "$(msg IPUConfig .target_version)"

mkroot almalinux 8.6
run_actor ipu_workflow_config "$R"
t_eq "almalinux 8.6: no path (the bare 8 key is not a fallback)" '"no-path"' "$(msg UpgradePath .problem)"
t_eq "IPUConfig still produced, target major guessed" '9' "$(msg IPUConfig .target_major)"

mkroot centos 8 4.18.0-552.el8.x86_64
run_actor ipu_workflow_config "$R"
t_eq "centos 8 -> 9" '"9 none"' "$(msg UpgradePath '"\(.target) \(.problem)"')"
t_eq "centos virtual versions" '"8.10 9.9"' "$(msg IPUConfig '"\(.source_virtual_version) \(.target_virtual_version)"')"

mkroot centos 8.10 4.18.0-552.el8.x86_64
run_actor ipu_workflow_config "$R"
t_eq "centos 8.10 found through _virtual_versions" '"8 9"' "$(msg UpgradePath '"\(.matched_key) \(.target)"')"

mkroot rhel 8.10
LEAPP_UPGRADE_PATH_FLAVOUR=saphana run_actor ipu_workflow_config "$R"
t_eq "saphana flavour: highest of [9.8, 9.6]" '"saphana 9.8"' "$(msg UpgradePath '"\(.flavour) \(.target)"')"

mkroot ol 8.10
run_actor ipu_workflow_config "$R"
t_eq "unknown distribution" '"no-distro"' "$(msg UpgradePath .problem)"

mkroot almalinux 8.10
mkdir -p "$R/etc/leapp/files"
printf '{\n  "almalinux": {\n    "default": {"8.10": ["9.9"],}\n  }\n}\n' >"$R/etc/leapp/files/upgrade_paths.json"
run_actor ipu_workflow_config "$R"
t_eq "broken upgrade_paths.json inhibits" "$K_DATA_FILE_UNREADABLE" "$(inhibitor_keys)"
t_check "its summary names file, line and column" grep -q '/etc/leapp/files/upgrade_paths.json:3:' <<<"$(report "$K_DATA_FILE_UNREADABLE" .summary)"
t_eq "problem recorded" '"data-file"' "$(msg UpgradePath .problem)"

mkroot almalinux 8.10
rm "$R/etc/os-release"
run_actor ipu_workflow_config "$R"
t_eq "no os-release: inhibitor" "${K_NO_OS_RELEASE}" "$(inhibitor_keys)"
t_eq "no os-release: no IPUConfig" "null" "$(msg IPUConfig .)"
mkdir -p "$R/usr/lib"
printf 'ID=almalinux\nVERSION_ID=8.10\n' >"$R/usr/lib/os-release"
run_actor ipu_workflow_config "$R"
t_eq "/usr/lib/os-release is the fallback" '"8.10"' "$(msg IPUConfig .source_version)"

mkroot almalinux 8.10
rm "$R/proc/sys/kernel/osrelease"
printf 'processor\t: 0\nBogoMIPS\t: 50.00\nFeatures\t: fp asimd\nCPU architecture: 8\n' >"$R/proc/cpuinfo"
run_actor ipu_workflow_config "$R"
t_eq "architecture from cpuinfo when the kernel release is unknown" '"aarch64"' "$(msg IPUConfig .architecture)"
t_eq "kernel unknown" 'null' "$(msg IPUConfig .kernel)"
t_done

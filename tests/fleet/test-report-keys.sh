#!/bin/bash
# The checks we share with upstream leapp carry upstream's titles and keys: infra.leapp's
# remediation map (roles/analysis/vars/main.yml: inhibitor title -> task, key -> task) knows
# every one of them, and the actor that reports it says that title.
. "$(dirname "$0")/../lib.sh"
COLL=${INFRA_LEAPP:-}
for c in "$COLL" "$T_TOP/tests/data/infra.leapp" "$T_TOP/../shared/data/infra.leapp"; do
	[ -n "$c" ] && [ -f "$c/roles/analysis/vars/main.yml" ] && { COLL=$c; break; }
done
VARS=$COLL/roles/analysis/vars/main.yml
t_check "infra.leapp's remediation map is here (INFRA_LEAPP=DIR)" test -f "$VARS"

# actor | severity | title | key (upstream's explicit one, or empty for sha1)
SHARED="check_network_fs|high|Use of NFS detected. Upgrade can't proceed|
check_network_fs|high|Use of CIFS detected. Upgrade can't proceed|
check_installed_kernels|high|Newest installed kernel not in use|
check_sha1_signed_rpms|high|Detected RPMs with RSA/SHA1 signature|
check_removed_drivers|high|Leapp detected loaded kernel drivers that have been removed in the target OS. Upgrade cannot proceed.|f08a07da902958defa4f5c2699fae9ec2eb67c5b
check_mounts|high|Detected partitions mounted with the \"noexec\" option, preventing a successful in-place upgrade.|
detect_grub_config_error|high|Detected a corrupted grubenv file|
check_root_symlinks|high|Upgrade requires links in root directory to be relative|
efi_check_boot|high|efibootmgr package is required on EFI systems|"
while IFS='|' read -r actor sev title key; do
	title=${title//\\\"/\"}
	[ -n "$key" ] || key=$(t_key "$sev" "$title")
	# shellcheck disable=SC2046
	set -- $(/usr/bin/python3 - "$VARS" "$title" "$key" <<'PY'
import sys, yaml
v = yaml.safe_load(open(sys.argv[1]))
print(v["__leapp_inhibitors_title_map"].get(sys.argv[2], "-"), v["__leapp_inhibitors_key_map"].get(sys.argv[3], "-"))
PY
)
	t_check "$title: infra.leapp maps the title" test "$1" != -
	t_eq "$title: infra.leapp maps the key $key to the same remediation" "$1" "$2"
	# the actor says the title (adjacent C string literals joined, as the compiler does)
	t_check "$actor reports '$title'" /usr/bin/python3 - "$T_TOP/actors/$actor" "$title" <<'PY'
import glob, re, sys
src = "".join(open(f).read() for f in glob.glob(sys.argv[1] + "/*.c"))
src = re.sub(r'"\s*\n\s*"', "", src)
sys.exit(0 if '"%s"' % sys.argv[2].replace('"', '\\"') in src else 1)
PY
done <<<"$SHARED"

# the keys the actors' own tests expect (tests/keys.sh) are the map's
t_eq "NFS: the key our actor test expects is the map's" 9881b25faceeeaa7a6478bcdac29afd7f6baaaed "$K_NFS_IN_FSTAB"
t_eq "the kernel check's key is the map's" ebb478cfa5443f83a8c9a78ba510eb40e6e9d117 "$K_NOT_NEWEST_KERNEL"
t_done

#!/bin/bash
# Acceptance (issue 18): `leapp preupgrade --root` on a synthetic system carrying the storage and
# boot problems that end in a failed or unbootable upgrade: an absolute /lib64 link, an empty
# /etc/machine-id, /var noexec in fstab, /var/run a directory, a grubenv that is not a 1 KiB
# block, /etc/default/grub without its final newline and with a GRUB_CMDLINE_LINUX syntax error,
# EFI without efibootmgr, a LUKS1 device in crypttab (a cryptsetup header), a VDO volume of the
# vdo manager. Each is an inhibitor with upstream's title, preupgrade exits 3, the report
# validates, the tree is unchanged. (The clean demo system passing all of them is
# test-preupgrade-demo.sh.)
. "$(dirname "$0")/../lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"

sysroot minimal || { t_fail "mksysroot minimal"; t_done; exit 1; }
R=$SR/root
REP=$R/var/log/leapp/leapp-report.json
ln -sfn /usr/lib64 "$R/lib64"
: >"$R/etc/machine-id"
echo "UUID=0a0a0a0a-1111-2222-3333-444455556666 /var xfs defaults,noexec 0 0" >>"$R/etc/fstab"
mkdir -p "$R/var/run"
echo >>"$R/boot/grub2/grubenv"
printf '%s\nGRUB_CMDLINE_LINUX="rhgb" quiet"' "$(cat "$R/etc/default/grub")" >"$R/etc/default/grub"
mkdir -p "$R/sys/firmware/efi" "$R/sys/block/vdb/vdb1" "$R/sys/block/vdd" "$R/dev"
truncate -s 20M "$R/dev/vdb1"
printf pass | cryptsetup luksFormat --batch-mode --type luks1 --pbkdf-force-iterations 1000 --key-file - "$R/dev/vdb1" >/dev/null 2>&1 ||
	t_fail "cryptsetup luksFormat (scripts/install-deps.sh: cryptsetup-bin)"
echo "luks-data /dev/vdb1 none" >"$R/etc/crypttab"
truncate -s 8M "$R/dev/vdd"
printf dmvdo001 | dd of="$R/dev/vdd" conv=notrunc status=none
h0=$(tree_hash "$R")
OUT=$("$T_LEAPP" preupgrade --root "$R" 2>&1); RC=$?
t_eq "exit code 3" 3 "$RC" || printf '%s\n' "$OUT" | tail -20
got=$(jq -r '[.entries[] | select(.groups | index("inhibitor")) | .title] | sort | .[]' "$REP" 2>/dev/null)
for title in \
	'Upgrade requires links in root directory to be relative' \
	'Missing or invalid /etc/machine-id file' \
	'Detected partitions mounted with the "noexec" option, preventing a successful in-place upgrade.' \
	'/var/run is not correctly configured' \
	'Detected a corrupted grubenv file' \
	'Detected a missing newline at the end of grub configuration file' \
	'Syntax error detected in grub configuration' \
	'efibootmgr package is required on EFI systems' \
	'Detected LUKS devices unsuitable for in-place upgrade.' \
	'Detected VDO devices not managed by LVM'; do
	t_check "inhibitor: $title" grep -qxF -- "$title" <<<"$got"
done
t_eq "the link's remediation" '["ln","-snf","usr/lib64","/lib64"]' \
	"$(jq -c '.entries[] | select(.title == "Upgrade requires links in root directory to be relative") | .detail.remediations[] | select(.type == "command") | .context' "$REP")"
t_eq "the grubenv named" "/boot/grub2/grubenv" \
	"$(jq -r '.entries[] | select(.title == "Detected a corrupted grubenv file") | .detail.related_resources[0].title' "$REP")"
t_eq "every inhibitor has a remediation" "" \
	"$(jq -r '.entries[] | select((.groups | index("inhibitor")) and ((.detail.remediations // []) | length) == 0) | .title' "$REP")"
t_check "the report validates against schema 1.2.0" validate_report "$REP"
t_eq "the tree is unchanged" "$h0" "$(tree_hash "$R")"
t_done

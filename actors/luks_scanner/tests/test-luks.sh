#!/bin/bash
# luks_scanner + check_luks on headers made by cryptsetup luksFormat on files that stand for the
# devices under --root (dev/vdb1, dev/disk/by-uuid links): LUKS1 and LUKS2 without a clevis TPM2
# token inhibit; LUKS2 with one (a clevis-style token imported with cryptsetup token import)
# passes and asks for clevis in the upgrade initramfs and no rd.luks.uuid on the upgrade entry.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
command -v cryptsetup >/dev/null || { t_fail "cryptsetup is not installed (scripts/install-deps.sh: cryptsetup-bin)"; t_done; exit 1; }
f_tmpdir
R=$F_DIR/root
mkdir -p "$R/etc" "$R/dev/disk/by-uuid" "$R/proc"
# a device: a sparse file with a LUKS header; $1 the name under dev/, $2 luks1|luks2
mkluks() {
	truncate -s 20M "$R/dev/$1"
	printf pass | cryptsetup luksFormat --batch-mode --type "$2" --pbkdf pbkdf2 --pbkdf-force-iterations 1000 \
		--key-file - "$R/dev/$1" >/dev/null 2>&1 || t_fail "luksFormat $1"
	local u; u=$(cryptsetup luksUUID "$R/dev/$1")
	ln -s "../../$1" "$R/dev/disk/by-uuid/$u"
	echo "$u"
}
# a clevis token the way clevis luks bind writes it: the pin in the JWE's protected header
token() { # DEVICE PIN
	local prot
	prot=$(printf '{"alg":"dir","enc":"A256GCM","clevis":{"pin":"%s","%s":{"hash":"sha256","key":"ecc"}}}' "$2" "$2" |
		base64 -w0 | tr '+/' '-_' | tr -d '=')
	printf '{"type":"clevis","keyslots":["0"],"jwe":{"ciphertext":"","encrypted_key":"","iv":"aaaa","protected":"%s","tag":"bbbb"}}' \
		"$prot" >"$F_DIR/tok.json"
	cryptsetup token import --json-file "$F_DIR/tok.json" "$R/dev/$1" || t_fail "token import $1"
}
U2=$(mkluks vdb1 luks2)
U1=$(mkluks vdc1 luks1)
U3=$(mkluks vdd1 luks2)
token vdb1 tpm2
token vdd1 tang
check() {
	run_actor luks_scanner "$R"
	chain_input "$F_DIR/in.json" "$(ipu 8.10 9.6)"
	run_actor check_luks "$R" "$F_DIR/in.json"
	INH=$(printf '%s' "$A_OUT" | jq -r '[.reports[] | select(.groups | index("inhibitor")) | .title] | join("|")')
}
T='Detected LUKS devices unsuitable for in-place upgrade.'
echo "root=/dev/mapper/rl-root ro rd.luks.uuid=luks-$U2 rhgb" >"$R/proc/cmdline"

printf '# comment\nluks-%s UUID=%s none discard\n' "$U2" "$U2" >"$R/etc/crypttab"
run_actor luks_scanner "$R"
t_eq "the LUKS2 header read: version, uuid, the clevis pin" "2 $U2 clevis-tpm2 /dev/disk/by-uuid/$U2 luks-$U2" \
	"$(msgr LuksDumps '.dumps[0] | "\(.version) \(.uuid) \(.tokens[0].type) \(.device) \(.name)"')"
t_eq "rd.luks.uuid of the same device: not listed twice" "1 luks-$U2" "$(msgr LuksDumps '"\(.dumps | length) \(.rd_luks_uuid | join(","))"')"
check
t_eq "LUKS2 + clevis TPM2: passes" "0|" "$A_RC|$INH"
t_eq "clevis modules for the upgrade initramfs" "clevis,clevis-pin-tpm2" "$(msgr UpgradeInitramfsTasks '.include_dracut_modules | map(.name) | join(",")')"
t_eq "rd.luks.uuid dropped from the upgrade entry" '[{"key":"rd.luks.uuid","value":null}]' "$(msg UpgradeKernelCmdlineArgTasks .to_remove)"
t_check "clevis packages in the target userspace" grep -q '"clevis-dracut"' <<<"$(msg TargetUserSpaceTasks .packages)"

printf 'luks-%s UUID=%s none\nluks-%s /dev/vdc1 none\nluks-%s UUID=%s none\nspare /dev/vde1 none noauto\n' "$U2" "$U2" "$U1" "$U3" "$U3" >"$R/etc/crypttab"
check
t_eq "LUKS1 and a LUKS2 with a tang token inhibit" "$T" "$INH"
S=$(printf '%s' "$A_OUT" | jq -r '.reports[0].summary')
t_eq "the LUKS1 device named" "    - /dev/vdc1" "$(grep -A1 '^LUKS1' <<<"$S" | tail -1)"
t_eq "the tang one named as without a TPM2 token" "    - /dev/disk/by-uuid/$U3" "$(grep -A1 'without a clevis TPM2 token:$' <<<"$S" | tail -1)"
t_check "the good one not named" bash -c '! grep -q "$1" <<<"$2"' _ "$U2" "$S"
t_eq "severity and groups" "high boot,encryption,inhibitor" "$(printf '%s' "$A_OUT" | jq -r '.reports[0] | "\(.severity) \(.groups | sort | join(","))"')"
t_eq "no clevis tasks then" "null" "$(msg UpgradeInitramfsTasks .)"
t_eq "noauto entries are not read" 3 "$(run_actor luks_scanner "$R"; msgr LuksDumps '.dumps | length')"

# the root device only on the kernel command line, LUKS2 without any token
: >"$R/etc/crypttab"
U4=$(mkluks vdf1 luks2)
echo "root=/dev/mapper/rl-root rd.luks.uuid=luks-$U4" >"$R/proc/cmdline"
check
t_eq "rd.luks.uuid's device without a token inhibits" "$T" "$INH"
# plain dm-crypt swap (no LUKS header) and no crypttab device at all: nothing
echo "root=/dev/vda2" >"$R/proc/cmdline"
head -c 1M /dev/urandom >"$R/dev/vdg1"
echo "swap /dev/vdg1 /dev/urandom swap,cipher=aes-xts-plain64" >"$R/etc/crypttab"
check
t_eq "plain dm-crypt swap: not checked" "0|" "$A_RC|$INH"
echo "data UUID=0000-missing none" >"$R/etc/crypttab"
check
t_eq "a device that cannot be read inhibits" "$T" "$INH"
t_eq "... named with why" "    - UUID=0000-missing (/dev/disk/by-uuid/0000-missing: No such file or directory)" \
	"$(printf '%s' "$A_OUT" | jq -r '.reports[0].summary' | grep -A1 'could not be read:$' | tail -1)"
rm "$R/etc/crypttab"
check
t_eq "no encrypted devices: nothing" "0||null" "$A_RC|$INH|$(msg UpgradeInitramfsTasks .)"
t_done

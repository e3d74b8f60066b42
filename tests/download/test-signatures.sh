#!/bin/bash
# Package signatures on the demo system, with `leapp upgrade`: a target package re-signed with a
# key nobody trusts inhibits the upgrade, naming the package and the key, and stops it after
# Download; the same key in the repository's gpgkey= makes it trusted (and a key to import
# during the upgrade); gpg-signatures.json's obsoleted keys are not trusted (and obsoleted keys
# in the rpmdb are to be removed); an unsigned package inhibits; --nogpgcheck skips the check;
# a corrupt package (payload) fails with an error naming it, and is not kept; a gpgkey= file
# that cannot be read inhibits already in preupgrade. The tree never changes.
. "$(dirname "$0")/../lib.sh"
. "$T_TOP/tests/download/lib-download.sh"

d_init
d_sysroot demo demo || { t_fail "mksysroot demo"; t_done; exit 1; }
OUT=$D_DIR/demo
R=$(d_root demo)
CACHE=$R/var/lib/leapp/packages
REPOFILE=$R/etc/leapp/files/leapp_upgrade_repositories.repo
SIGS=$R/etc/leapp/files/distro/almalinux/gpg-signatures.json
BASEOS=$OUT/repos/almalinux9-baseos
APPSTREAM=$OUT/repos/almalinux9-appstream
cp "$REPOFILE" "$D_DIR/repofile.orig"
cp "$SIGS" "$D_DIR/sigs.orig"
h0=$(tree_hash "$R")

# a throwaway key nobody trusts
export GNUPGHOME=$D_DIR/gnupg
mkdir -m 0700 "$GNUPGHOME"
gpg --batch --quiet --passphrase '' --quick-gen-key "Rogue Signer (leapp test, NOT SECRET) <rogue@test.invalid>" rsa2048 sign never 2>/dev/null
ROGUE=$(gpg --batch --with-colons --list-keys rogue@test.invalid | awk -F: '/^pub/ {print tolower($5); exit}')
ROGUE_CREATED=$(gpg --batch --with-colons --list-keys rogue@test.invalid | awk -F: '/^pub/ {printf "%08x", $6; exit}')
ROGUE_NVR=gpg-pubkey-${ROGUE:8}-$ROGUE_CREATED
gpg --batch --armor --export rogue@test.invalid >"$D_DIR/rogue.asc"
t_check "a test key was made" test -n "$ROGUE" -a -s "$D_DIR/rogue.asc"

resign() { # FILE KEY-NAME: sign again (replacing the signature)
	rpmsign --define "__gpg /usr/bin/gpg" --define "_gpg_path $GNUPGHOME" --define "_gpg_name $2" --addsign "$1" >/dev/null 2>&1
}
recreate() { createrepo_c --quiet --no-database "$1" >/dev/null; }
upgrade() { rm -rf "$CACHE"; d_leapp demo upgrade "$@"; }

chrony=$(ls "$BASEOS"/Packages/chrony-*.rpm)
cp "$chrony" "$D_DIR/chrony.orig"

# --- signed with an unknown key: an inhibitor naming the package and the key
resign "$chrony" rogue@test.invalid
recreate "$BASEOS"
t_eq "the package now carries the rogue key" "$ROGUE" \
	"$(rpm -qp --qf '%{RSAHEADER:pgpsig}' "$chrony" 2>/dev/null | sed 's/.*Key ID //')"
upgrade
t_eq "upgrade is inhibited (exit 3)" 3 "$D_RC" || d_show demo
t_eq "the inhibitor is about the rogue key" "$K_UNTRUSTED_PACKAGE_SIGNATURE" "$(d_inhibitors demo)"
s=$(d_entry demo "$K_UNTRUSTED_PACKAGE_SIGNATURE" .summary)
t_check "it names the package" grep -q "chrony-4.5-3.el9.x86_64 (repository almalinux9-baseos)" <<<"$s"
t_check "it names the key" grep -q "signed with key $ROGUE" <<<"$s"
t_check "the workflow stopped after Download" test ! -e "$R/var/lib/leapp/el9userspace"
t_check "no transaction test ran" bash -c "! grep -q 'rpm_transaction_test.*passed' '$D_DIR/demo.out'"
t_eq "the tree is unchanged" "$h0" "$(tree_hash "$R")"

# --- --nogpgcheck: not checked
upgrade --nogpgcheck
t_eq "--nogpgcheck: the upgrade goes on (exit 0)" 0 "$D_RC" || d_show demo
d_probe demo
t_eq "--nogpgcheck: recorded per package and for the run" "nogpgcheck false" \
	"$(d_msgr demo DownloadedPackages '"\([.packages[].signature] | unique | join(",")) \(.gpgcheck)"')"

# --- the key in the repository's gpgkey=: trusted, and imported during the upgrade
sed -i "/^\[almalinux9-baseos\]/,/^$/ s|^gpgkey=.*|& file://$D_DIR/rogue.asc|" "$REPOFILE"
h1=$(tree_hash "$R")
upgrade
t_eq "a gpgkey= key is trusted: the upgrade goes on" 0 "$D_RC" || d_show demo
d_probe demo
t_eq "chrony is verified with the rogue key" "ok $ROGUE" \
	"$(d_msgr demo DownloadedPackages '.packages[] | select(.name == "chrony") | "\(.signature) \(.key_id)"')"
t_eq "the key is to be imported during the upgrade, from its file" "$ROGUE $D_DIR/rogue.asc almalinux9-baseos $ROGUE_NVR" \
	"$(d_msgr demo TargetGpgKeys '.to_import[] | "\(.key_id) \(.file) \(.repos | join(",")) \(.gpg_pubkey)"')"
t_check "its armored text is in the message" grep -q "BEGIN PGP PUBLIC KEY BLOCK" <<<"$(d_msgr demo TargetGpgKeys '.to_import[0].armored')"
t_eq "the tree is unchanged" "$h1" "$(tree_hash "$R")"
t_check "the key is not imported before the upgrade" bash -c "! rpm --root '$R' --dbpath /var/lib/rpm -q $ROGUE_NVR >/dev/null 2>&1"

# --- obsoleted keys (gpg-signatures.json): not trusted even in gpgkey=; obsoleted rpmdb keys go
OTHER_NVR=$(jq -r '.keys.other.gpg_pubkey' "$OUT/manifest.json")
jq --arg a "$ROGUE_NVR" --arg b "$OTHER_NVR" '."obsoleted-keys"."9" = [$a, $b]' "$D_DIR/sigs.orig" >"$SIGS"
upgrade
t_eq "an obsoleted key: inhibited" 3 "$D_RC"
t_check "the inhibitor says the key is obsoleted" grep -q "gpg-signatures.json obsoletes this one ($ROGUE_NVR)" \
	<<<"$(d_entry demo "$K_UNTRUSTED_PACKAGE_SIGNATURE" .summary)"
d_probe demo
t_eq "TargetGpgKeys: both obsoleted, the rpmdb one to remove" "$ROGUE_NVR:false $OTHER_NVR:true | $OTHER_NVR" \
	"$(d_msgr demo TargetGpgKeys '"\([.obsoleted[] | "\(.gpg_pubkey):\(.in_rpmdb)"] | join(" ")) | \(.to_remove | join(" "))"')"
t_eq "neither is trusted" "0" "$(d_msgr demo TargetGpgKeys "[.trusted[] | select(.gpg_pubkey == \"$ROGUE_NVR\" or .gpg_pubkey == \"$OTHER_NVR\")] | length")"
cp "$D_DIR/sigs.orig" "$SIGS"
cp "$D_DIR/repofile.orig" "$REPOFILE"

# --- an unsigned package
cp "$D_DIR/chrony.orig" "$chrony"
rpmsign --delsign "$chrony" >/dev/null 2>&1
recreate "$BASEOS"
upgrade
t_eq "an unsigned package: inhibited" "3 $K_UNSIGNED_TARGET_PACKAGES" "$D_RC $(d_inhibitors demo)"
t_check "it names the package" grep -q "chrony-4.5-3.el9.x86_64 (repository almalinux9-baseos): not signed" \
	<<<"$(d_entry demo "$K_UNSIGNED_TARGET_PACKAGES" .summary)"
sed -i "/^\[almalinux9-baseos\]/,/^$/ s|^gpgcheck=1|gpgcheck=0|" "$REPOFILE"
upgrade
t_eq "the repository's gpgcheck=0: its packages are not checked" 0 "$D_RC" || d_show demo
d_probe demo
t_eq "recorded as such, and the other repositories' packages still checked" "repo-gpgcheck-off ok" \
	"$(d_msgr demo DownloadedPackages '"\([.packages[] | select(.repo == "almalinux9-baseos") | .signature] | unique | join(",")) \([.packages[] | select(.repo != "almalinux9-baseos") | .signature] | unique | join(","))"')"
t_eq "TargetGpgKeys lists the repository" "almalinux9-baseos" "$(d_msgr demo TargetGpgKeys '.nocheck_repos | join(",")')"
cp "$D_DIR/repofile.orig" "$REPOFILE"
cp "$D_DIR/chrony.orig" "$chrony"
recreate "$BASEOS"

# --- a corrupt package (its payload), consistent with the repository metadata
snail=$(ls "$APPSTREAM"/Packages/s-nail-*.rpm)
cp "$snail" "$D_DIR/snail.orig"
size=$(stat -c %s "$snail")
printf 'XXXXXXXX' | dd of="$snail" bs=1 seek=$((size - 40)) conv=notrunc status=none
recreate "$APPSTREAM"
upgrade
t_eq "a corrupt package fails the upgrade (exit 1)" 1 "$D_RC"
e=$(jq -r '[.entries[] | select(.groups | index("error")) | "\(.title) \(.summary)"] | join(" ")' "$(d_report demo)")
t_check "the error names the package and says it is corrupt" grep -q "s-nail-14.9.22-6.el9.x86_64 (repository almalinux9-appstream): the package file is corrupt" <<<"$e"
t_check "librpm's reason: the payload digest" grep -q "payload digest mismatch" <<<"$e"
t_eq "the corrupt file is not kept in the cache" "" "$(find "$CACHE" -name 's-nail*')"
cp "$D_DIR/snail.orig" "$snail"
recreate "$APPSTREAM"

# --- a gpgkey= file that cannot be read: inhibited in preupgrade already
sed -i "/^\[almalinux9-appstream\]/,/^$/ s|^gpgkey=.*|gpgkey=file://$D_DIR/missing.asc|" "$REPOFILE"
h2=$(tree_hash "$R")
d_leapp demo preupgrade
t_eq "an unreadable gpgkey= file inhibits preupgrade" "3 ${K_TARGET_GPGKEY_UNREADABLE}" "$D_RC $(d_inhibitors demo)"
t_check "it names the repository and the file" grep -q "repository almalinux9-appstream: gpgkey file://$D_DIR/missing.asc" \
	<<<"$(d_entry demo ${K_TARGET_GPGKEY_UNREADABLE} .summary)"
t_eq "the tree is still unchanged" "$h2" "$(tree_hash "$R")"
cp "$D_DIR/repofile.orig" "$REPOFILE"
t_done

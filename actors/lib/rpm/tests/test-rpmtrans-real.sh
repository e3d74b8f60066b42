#!/bin/bash
# The real transaction through actors/lib/rpmtrans, as the RPM upgrade will run it after the
# reboot: on a copy of the demo system, the verified packages of DownloadedPackages installed
# (the kernel beside the old one), the plan's removals erased, a key imported first, scriptlets
# chrooted in the root. The result is what mksysroot's manifest expects of a complete upgrade,
# and every element is reported done. The same in test mode changes nothing.
. "$(dirname "$0")/../../../../tests/lib.sh"
. "$T_TOP/tests/download/lib-download.sh"

RUN=$T_BUILD/tests/rpmtrans-run
d_init
d_sysroot demo demo || { t_fail "mksysroot demo"; t_done; exit 1; }
R=$(d_root demo)
d_leapp demo upgrade
t_eq "upgrade up to the reboot" 0 "$D_RC" || d_show demo
d_probe demo

args=()
while read -r io path; do
	if [ "$io" = true ]; then args+=(--installonly "$path"); else args+=("$path"); fi
done < <(d_msgr demo DownloadedPackages '.packages[] | "\(.installonly) \(.path)"')
while read -r nevra; do args+=(--erase "$nevra"); done < <(d_msgr demo PlannedTransaction \
	'.items[] | select(.action == "remove" or .action == "obsolete") | "\(.name)-\(if .epoch > 0 then "\(.epoch):" else "" end)\(.version)-\(.release).\(.arch)"')
t_check "the transaction has installs and erasures" test "${#args[@]}" -gt 30

# a key to import first (the RPM upgrade imports TargetGpgKeys.to_import)
export GNUPGHOME=$D_DIR/gnupg
mkdir -m 0700 "$GNUPGHOME"
gpg --batch --quiet --passphrase '' --quick-gen-key "Import Me (leapp test, NOT SECRET) <import@test.invalid>" rsa2048 sign never 2>/dev/null
gpg --batch --armor --export import@test.invalid >"$D_DIR/import.asc"
KID=$(gpg --batch --with-colons --list-keys import@test.invalid | awk -F: '/^pub/ {print tolower(substr($5, 9)); exit}')

# test mode on the system itself: nothing changes
h0=$(tree_hash "$R")
cp -a "$R/var/lib/rpm" "$D_DIR/rpmdb.copy"
"$RUN" --root "$R" --dbpath "/var/lib/leapp/rpmdb-test" --test "${args[@]}" >/dev/null 2>"$D_DIR/test.err"
rc=$?
t_eq "test mode against a missing rpmdb copy fails cleanly" 2 "$rc"
t_check "and creates no database there (librpm would make an empty one)" test ! -e "$R/var/lib/leapp/rpmdb-test"
mkdir -p "$R/var/lib/leapp/rpmdb-test" && cp "$D_DIR"/rpmdb.copy/* "$R/var/lib/leapp/rpmdb-test/"
"$RUN" --root "$R" --dbpath "/var/lib/leapp/rpmdb-test" --test "${args[@]}" >"$D_DIR/test.json" 2>"$D_DIR/test.err"
t_eq "test mode passes" "0 true" "$? $(jq -r .ok "$D_DIR/test.json")"
t_eq "test mode changes nothing" "$h0" "$(tree_hash "$R")"

# the real thing, on a copy
R2=$D_DIR/copy
cp -a "$R" "$R2"
rm -rf "$R2/var/lib/leapp/rpmdb-test"
t_rpmdb_writable "$R2"   # as the interim does before its transaction (rpmdb_rebuild)
"$RUN" --root "$R2" --import "$D_DIR/import.asc" "${args[@]}" >"$D_DIR/real.json" 2>"$D_DIR/real.err"
t_eq "the real transaction succeeds" "0 true" "$? $(jq -r .ok "$D_DIR/real.json")" || tail -5 "$D_DIR/real.err"
t_eq "every element is done" "0" "$(jq '[.packages[] | select(.state != "done")] | length' "$D_DIR/real.json")"
t_eq "erasures are reported per package" "$(jq -r .erasures "$D_DIR/real.json")" "$(jq '[.packages[] | select(.erase)] | length' "$D_DIR/real.json")"
got=$(rpm --root "$R2" --dbpath /var/lib/rpm -qa --qf '%{NAME}\n' 2>/dev/null | grep -v '^gpg-pubkey$' | sort -u | tr '\n' ' ')
# rhel-net-naming-sysattrs comes from net_naming_scheme, which is not in this test's chain
want=$(jq -r '.expected.after_upgrade[] | select(. != "rhel-net-naming-sysattrs")' "$D_DIR/demo/manifest.json" | sort -u | tr '\n' ' ')
t_eq "the rpmdb holds exactly the expected packages" "$want" "$got"
t_eq "the kernel is installed beside the old one" 2 "$(rpm --root "$R2" --dbpath /var/lib/rpm -q kernel-core 2>/dev/null | wc -l)"
t_check "the new packages are the el9 ones" rpm --root "$R2" --dbpath /var/lib/rpm -q demo-app-2.0-1.el9 chrony s-nail
for f in $(jq -r '.expected.scriptlet_files_after_upgrade[]' "$D_DIR/demo/manifest.json"); do
	t_check "scriptlets ran chrooted in the root: $f" test -s "$R2$f"
done
for f in $(jq -r '.expected.rpmnew[]' "$D_DIR/demo/manifest.json"); do
	t_check "the admin's config is kept, $f.rpmnew beside it" test -s "$R2$f.rpmnew"
done
t_check "the key was imported" rpm --root "$R2" --dbpath /var/lib/rpm -q "gpg-pubkey-$KID" --qf '%{VERSION}\n'
t_done

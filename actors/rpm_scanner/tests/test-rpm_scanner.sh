#!/bin/bash
# rpm_scanner: every package of a synthetic system's rpmdb with its signature facts (key id,
# digest algorithm) as mksysroot signed them; distribution-signed vs third-party; the rpmdb
# is read in place without changing a byte: el8's BerkeleyDB one (the demo) and a sqlite one,
# WAL content included.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"

sysroot demo || { t_fail "mksysroot demo"; t_done; exit 1; }
DEMO=$SR
f_tmpdir
IN=$F_DIR/in.json
mk_input "$IN" "$(ipu 8.10 9.9)"

before=$(tree_hash "$DEMO/root")
run_actor rpm_scanner "$DEMO/root" "$IN"
t_eq "runs" 0 "$A_RC"
t_eq "the tree is unchanged, rpmdb side files included" "$before" "$(tree_hash "$DEMO/root")"

# every package mksysroot installed, with the key and digest it was signed with
want=$(jq -r '.installed[] | "\(.name) \(.keyid // "none") \(if .digest then (.digest | ascii_upcase) else "none" end) \(.distro_signed)"' "$DEMO/manifest.json" | sort)
got=$(printf '%s' "$A_OUT" | jq -r '
	([.messages[] | select(.model == "DistributionSignedRPM")] | last | .data.items | map(.name)) as $signed |
	[.messages[] | select(.model == "InstalledRPM")] | last | .data.items[] | select(.name != "gpg-pubkey") |
	"\(.name) \(.key_id // "none") \(.digest_algo // "none") \(.name as $n | $signed | index($n) != null)"' | sort)
t_eq "packages, key ids, digests and distribution-signed as built" "$want" "$got"
t_eq "SHA-1 signature seen" '"SHA1"' "$(msg InstalledRPM '.items[] | select(.name == "legacy-monitor") | .digest_algo')"
t_eq "unsigned package has no key" 'null' "$(msg InstalledRPM '.items[] | select(.name == "local-tools") | .key_id')"
t_check "pgpsig as rpm prints it" grep -q '^"RSA/SHA256, .*, Key ID c079a104099cbde2"$' <<<"$(msg InstalledRPM '.items[] | select(.name == "bash") | .pgpsig')"
t_eq "epoch" '2' "$(msg InstalledRPM '.items[] | select(.name == "vim-minimal") | .epoch')"
t_eq "vendor and packager" '"ACME Corp|ACME Build <build@acme.example>"' "$(msg InstalledRPM '.items[] | select(.name == "acme-agent") | "\(.vendor)|\(.packager)"')"
t_check "install time" test "$(msg InstalledRPM '.items[] | select(.name == "bash") | .install_time')" -gt 1700000000
t_eq "third party: acme-agent legacy-monitor local-tools and the acme key" \
	"acme-agent gpg-pubkey legacy-monitor local-tools" "$(msgr ThirdPartyRPM '[.items[].name] | sort | join(" ")')"
t_eq "the distribution's key is distribution-signed" "1" "$(msg DistributionSignedRPM '[.items[] | select(.name == "gpg-pubkey")] | length')"

t_check "the demo's rpmdb is BerkeleyDB" test -f "$DEMO/root/var/lib/rpm/Packages"
t_eq "no librpm warning about it on stderr" "" "$(grep -iE 'bdb_ro|Packages database' <<<"$A_ERR")"

# WAL content that was never checkpointed: the reader must see it, through the WAL file,
# without touching -shm (a writer left it; a stock sqlite reader would rewrite it). A sqlite
# rpmdb: the demo built with `rpmdb: sqlite`.
f_tmpdir
printf 'include: demo\nname: demo-sqlite\nrpmdb: sqlite\n' >"$F_DIR/demo-sqlite.yaml"
SQL_SPEC=$F_DIR/demo-sqlite.yaml
sysroot "$SQL_SPEC" || { t_fail "mksysroot demo (sqlite)"; t_done; exit 1; }
W=$F_DIR/root
cp -a "$SR/root" "$W"
/usr/bin/python3 - "$W/var/lib/rpm/rpmdb.sqlite" <<'PY'
import os, sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("PRAGMA wal_autocheckpoint=0")
assert c.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
c.execute("DELETE FROM Packages WHERE hnum = (SELECT hnum FROM Name WHERE key = 'local-tools')")
os._exit(0)  # no close: no checkpoint, the change lives in the WAL only
PY
t_check "the WAL holds the change" test -s "$W/var/lib/rpm/rpmdb.sqlite-wal"
before=$(tree_hash "$W")
run_actor rpm_scanner "$W" "$IN"
t_eq "WAL: runs" 0 "$A_RC"
t_eq "WAL: the deleted package is gone" "0" "$(msg InstalledRPM '[.items[] | select(.name == "local-tools")] | length')"
t_eq "WAL: the others are there" "$(jq '.installed | length' "$DEMO/manifest.json")" "$(msg InstalledRPM '[.items[] | select(.name != "gpg-pubkey")] | length + 1')"
t_eq "WAL: nothing changed, -shm and -wal included" "$before" "$(tree_hash "$W")"

# a WAL-mode database whose -wal and -shm are gone (cleanly closed elsewhere) still opens
rm -f "$W/var/lib/rpm/rpmdb.sqlite-wal" "$W/var/lib/rpm/rpmdb.sqlite-shm"
before=$(tree_hash "$W")
run_actor rpm_scanner "$W" "$IN"
t_eq "no -wal: runs" 0 "$A_RC"
t_check "no -wal: packages read" test "$(msg InstalledRPM '.items | length')" -gt 30
t_eq "no -wal: no side file created" "$before" "$(tree_hash "$W")"

# a distribution without signature data: inhibit, do not guess
f_tmpdir
mk_input "$F_DIR/ol.json" "$(ipu 8.10 9.6 x86_64 ol)"
run_actor rpm_scanner "$DEMO/root" "$F_DIR/ol.json"
t_eq "unknown distribution keys: inhibitor" "$K_DATA_FILE_MISSING" "$(inhibitor_keys)"
t_eq "unknown distribution keys: no DistributionSignedRPM" "null" "$(msg DistributionSignedRPM .)"
t_check "unknown distribution keys: InstalledRPM still produced" test "$(msg InstalledRPM '.items | length')" -gt 30

# a malformed signature file of the admin's: inhibit, naming the file and the entry, instead of
# skipping the entry (a key id that is not one, a list of names that is a string)
f_tmpdir
W=$F_DIR/sigroot
cp -a "$DEMO/root" "$W"
mkdir -p "$W/etc/leapp/files/distro/almalinux"
printf '{"keys": {"51d6647ec21ad6ea": "gpg-pubkey-c21ad6ea-5e3b5f6b"}}\n' >"$W/etc/leapp/files/distro/almalinux/gpg-signatures.json"
run_actor rpm_scanner "$W" "$IN"
t_eq "malformed signatures: inhibitor" "$K_DATA_FILE_UNREADABLE" "$(inhibitor_keys)"
t_check "malformed signatures: the summary names the file and the entry" grep -q \
	'/etc/leapp/files/distro/almalinux/gpg-signatures.json: keys.51d6647ec21ad6ea: not a list of gpg-pubkey names' \
	<<<"$(printf '%s' "$A_OUT" | jq -r '.reports[].summary')"
t_eq "malformed signatures: no DistributionSignedRPM" "null" "$(msg DistributionSignedRPM .)"
printf '{"keys": {"not-a-key-id": []}}\n' >"$W/etc/leapp/files/distro/almalinux/gpg-signatures.json"
run_actor rpm_scanner "$W" "$IN"
t_check "a key id that is not one is named" grep -q '"not-a-key-id" is not a key id' <<<"$(printf '%s' "$A_OUT" | jq -r '.reports[].summary')"
rm -rf "$W/etc/leapp/files/distro"

# LEAPP_DEVEL_RPMS_ALL_SIGNED=1 (leapp's development switch)
LEAPP_DEVEL_RPMS_ALL_SIGNED=1 run_actor rpm_scanner "$DEMO/root" "$IN"
t_eq "LEAPP_DEVEL_RPMS_ALL_SIGNED: no third party" "0" "$(msg ThirdPartyRPM '.items | length')"

# no rpmdb at all: an error, and nothing is created
f_tmpdir
mkdir -p "$F_DIR/empty/var/lib/rpm"
run_actor rpm_scanner "$F_DIR/empty" "$IN"
t_eq "no rpmdb: error exit" 1 "$A_RC"
t_eq "no rpmdb: nothing created" "" "$(ls -A "$F_DIR/empty/var/lib/rpm")"
t_done

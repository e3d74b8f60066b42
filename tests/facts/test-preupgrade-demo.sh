#!/bin/bash
# Acceptance on the demo system: `leapp preupgrade --root <demo>` exits 0, reports the
# third-party packages (and no sshd entry: its sshd_config is as packaged), validates against the 1.2.0 schema, has stable
# keys, and leaves the --root tree byte-identical (rpmdb side files included) apart from
# leapp's own var/lib/leapp and var/log/leapp.
. "$(dirname "$0")/../lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"

sysroot demo || { t_fail "mksysroot demo"; t_done; exit 1; }
R=$SR/root
REP=$R/var/log/leapp/leapp-report.json
t_check "the demo keeps el8's BerkeleyDB rpmdb" test -f "$R/var/lib/rpm/Packages" -a ! -e "$R/var/lib/rpm/rpmdb.sqlite"
rpmdb_before=$(cd "$R/var/lib/rpm" && ls -A && sha256sum -- * .[!.]* 2>/dev/null)
h0=$(tree_hash "$R")
OUT=$("$T_LEAPP" preupgrade --root "$R" 2>&1); RC=$?
t_eq "preupgrade exits 0" 0 "$RC"
t_eq "the tree is byte-identical afterwards" "$h0" "$(tree_hash "$R")"
t_eq "var/lib/rpm unchanged: no BerkeleyDB environment (__db.*) created, no byte changed" "$rpmdb_before" \
	"$(cd "$R/var/lib/rpm" && ls -A && sha256sum -- * .[!.]* 2>/dev/null)"
t_check "no warning of librpm's bdb_ro backend reaches the console" bash -c '! grep -qiE "bdb_ro|berkeley|Packages database" <<<"$1"' _ "$OUT"
t_check "the report validates against schema 1.2.0" validate_report "$REP"
t_eq "no inhibitors" "" "$(jq -r '[.entries[] | select(.groups | index("inhibitor")) | .key] | join(" ")' "$REP")"
keys=$(jq -r '[.entries[].key] | sort | join(" ")' "$REP")
for k in $(jq -r '.expected.warnings[]' "$SR/manifest.json"); do
	t_check "expected warning $k reported" grep -qw -- "$(k_spec "$k")" <<<"$keys"
done
tp=$(jq -r --arg k "$K_THIRD_PARTY_PACKAGES" '.entries[] | select(.key == $k) | .summary' "$REP")
for p in $(jq -r '.expected.kept[]' "$SR/manifest.json"); do
	t_check "third-party package $p named" grep -q -- "- $p-" <<<"$tp"
done
t_check "the SHA-1 package is named (DEFAULT:SHA1: a high report)" grep -q "legacy-monitor" <<<"$(jq -r '.entries[] | select(.title == "Detected RPMs with RSA/SHA1 signature" and .severity == "high") | .summary' "$REP")"
t_eq "no sshd entry: sshd_config is as packaged and does not allow root password logins" "" \
	"$(jq -r '[.entries[] | select(.detail.related_resources // [] | map(.title) | index("/etc/ssh/sshd_config")) | .title] | join("; ")' "$REP")"
t_check "the text report has them too" grep -q "acme-agent" "$R/var/log/leapp/leapp-report.txt"
t_check "every entry has a remediation or is informational" test "$(jq '[.entries[] | select(.severity != "info" and (.detail.remediations // [] | length) == 0)] | length' "$REP")" -eq 0
t_check "every entry has a key" test "$(jq '[.entries[] | select((.key // "") == "")] | length' "$REP")" -eq 0

# a second run: the same keys (stable), still nothing changed
OUT=$("$T_LEAPP" preupgrade --root "$R" 2>&1); RC=$?
t_eq "second run exits 0" 0 "$RC"
t_eq "the same report keys" "$keys" "$(jq -r '[.entries[].key] | sort | join(" ")' "$REP")"
t_eq "still byte-identical" "$h0" "$(tree_hash "$R")"

# --target: an allowed one is used; one the path does not allow inhibits
OUT=$("$T_LEAPP" preupgrade --root "$R" --target 9.6 2>&1); RC=$?
t_eq "--target 9.6: exit 0" 0 "$RC"
ipu_has() { sqlite3 "$R/var/lib/leapp/leapp.db" "select count(*) from messages where model = 'IPUConfig' and instr(data, cast('$1' as blob)) > 0 and execution = (select max(id) from executions)"; }
t_eq "--target 9.6: IPUConfig targets 9.6, not the default 9.9" "1 0" "$(ipu_has 9.6) $(ipu_has 9.9)"
OUT=$("$T_LEAPP" preupgrade --root "$R" --target 9.20 2>&1); RC=$?
t_eq "--target 9.20: exit 3 with the path inhibitor" "3 ${K_UPGRADE_TARGET_NOT_ALLOWED}" "$RC $(jq -r '[.entries[] | select(.groups | index("inhibitor")) | .key] | join(" ")' "$REP")"

# missing fact files: unknown facts are low warnings, not errors, and the run goes on
rm "$R/proc/meminfo" "$R/proc/cpuinfo" "$R/proc/modules"
OUT=$("$T_LEAPP" preupgrade --root "$R" 2>&1); RC=$?
t_eq "fact files missing: exit 0" 0 "$RC"
t_eq "fact files missing: low warnings" "/proc/cpuinfo:low /proc/meminfo:low /proc/modules:low" \
	"$(jq -r '[.entries[] | select(.title | startswith("Unknown system fact: ")) | "\(.title | ltrimstr("Unknown system fact: ")):\(.severity)"] | sort | join(" ")' "$REP")"
t_eq "fact files missing: each keyed as leapp keys it" "$(t_key low "Unknown system fact: /proc/meminfo")" \
	"$(jq -r '.entries[] | select(.title == "Unknown system fact: /proc/meminfo") | .key' "$REP")"
t_check "fact files missing: the report still validates" validate_report "$REP"
t_done

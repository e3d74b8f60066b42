#!/bin/bash
# upgrade_summary (FirstBoot), run alone with `leapp actor run`: "The upgrade is complete" names
# the release now running, the plan's counts, what the RPM transaction did, the default kernel,
# the services and the leftover packages; an os-release that does not say the target version
# adds a high-severity entry that names what it says.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
R=$F_DIR/root
mkdir -p "$R/etc"
printf 'NAME="AlmaLinux"\nVERSION_ID="9.6"\nPRETTY_NAME="AlmaLinux 9.6 (Sage Margay)"\n' >"$R/etc/os-release"
PLAN='{"status":"planned","items":[],"kept":[],"counts":{"upgrade":412,"install":37,"downgrade":0,"remove":5,"obsolete":3,"keep":2},"problems":[],"repos":[],"rpmdb_fingerprint":"0:x"}'
RPM='{"status":"upgraded","installs":449,"erasures":420,"transaction_seconds":83.4,"resumed":false}'
mk_input "$F_DIR/in.json" "$(ipu 8.10 9.6)" PlannedTransaction "$PLAN" RPMUpgradeResult "$RPM"
leapp_actor_run upgrade_summary "$R" "$F_DIR/in.json"
t_eq "runs" 0 "$A_RC" "$(a_errors; echo "$A_ERR")"
S=$(printf '%s' "$A_OUT" | jq -r '.reports[] | select(.title == "The upgrade is complete") | .summary')
t_check "the release now running" grep -q "The system now runs AlmaLinux 9.6 (Sage Margay) (from almalinux 8.10)." <<<"$S"
t_check "the plan's counts" grep -q "Packages: 412 upgraded, 37 installed, 0 downgraded, 5 removed, 3 obsoleted, 2 kept" <<<"$S"
t_check "the RPM transaction" grep -q "The RPM transaction: 449 elements installed, 420 erased, in 83.4 s." <<<"$S"
t_eq "no wrong-release entry" "" "$(printf '%s' "$A_OUT" | jq -r '.reports[] | select(.severity == "high") | .title')"

printf 'NAME="AlmaLinux"\nVERSION_ID="8.10"\n' >"$R/etc/os-release"
leapp_actor_run upgrade_summary "$R" "$F_DIR/in.json"
t_eq "still el8: runs" 0 "$A_RC"
t_check "still el8: a high entry names what os-release says" grep -q "reports VERSION_ID=8.10 in /etc/os-release" \
	<<<"$(printf '%s' "$A_OUT" | jq -r '.reports[] | select(.title == "The upgraded system does not report the target release" and .severity == "high") | .summary')"
t_done

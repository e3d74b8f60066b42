#!/bin/bash
# Actor configuration (/etc/leapp/actor_conf.d/*.yaml) with a real actor's schema
# (check_boot_avail_space: min_free_mib, enabled): a syntax error, a wrong type and a key set
# in two files stop the run before any actor starts, naming file, line and key (exit 1); an
# unknown key is a warning; a valid setting changes what the check does.
. "$(dirname "$0")/../lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"

sysroot demo || { t_fail "mksysroot demo"; t_done; exit 1; }
R=$SR/root
C=$R/etc/leapp/actor_conf.d
mkdir -p "$C"
DB=$R/var/lib/leapp/leapp.db
runs() { [ -f "$DB" ] && sqlite3 "$DB" "select count(*) from actor_runs" || echo 0; }

# stopped: no phase starts, no actor runs
stopped() { # NAME
	t_eq "$1: exit 1" 1 "$RC"
	t_check "$1: no phase started" bash -c '! grep -q "Processing phase" <<<"$1"' _ "$OUT"
	t_eq "$1: no actor ran" "$runs0" "$(runs)"
}

runs0=$(runs)
printf 'check_boot_avail_space:\n  min_free_mib: [100,\n' >"$C/10-boot.yaml"
OUT=$("$T_LEAPP" preupgrade --root "$R" 2>&1); RC=$?
stopped "syntax error"
t_check "syntax error: file and line" grep -q "/etc/leapp/actor_conf.d/10-boot.yaml:3:" <<<"$OUT"

printf '# /boot threshold\ncheck_boot_avail_space:\n  min_free_mib: lots\n' >"$C/10-boot.yaml"
OUT=$("$T_LEAPP" preupgrade --root "$R" 2>&1); RC=$?
stopped "wrong type"
t_check "wrong type: file, line and key" grep -q "/etc/leapp/actor_conf.d/10-boot.yaml:3: key 'check_boot_avail_space.min_free_mib': expected integer" <<<"$OUT"

printf 'check_boot_avail_space:\n  min_free_mib: 200\n' >"$C/10-boot.yaml"
printf '# site override\n\ncheck_boot_avail_space:\n  enabled: true\n  min_free_mib: 300\n' >"$C/20-site.yaml"
OUT=$("$T_LEAPP" preupgrade --root "$R" 2>&1); RC=$?
stopped "set in two files"
t_check "set in two files: both places and the key" \
	grep -q "/etc/leapp/actor_conf.d/20-site.yaml:5: key 'check_boot_avail_space.min_free_mib' is also set at /etc/leapp/actor_conf.d/10-boot.yaml:2" <<<"$OUT"
rm "$C/20-site.yaml"

# a valid threshold far above any disk: the check uses it and inhibits
printf 'check_boot_avail_space:\n  min_free_mib: 900000000\n  colour: blue\n' >"$C/10-boot.yaml"
OUT=$("$T_LEAPP" preupgrade --root "$R" 2>&1); RC=$?
t_check "unknown key: a warning naming file, line and key" grep -q "warning: /etc/leapp/actor_conf.d/10-boot.yaml:3: unknown key 'check_boot_avail_space.colour'" <<<"$OUT"
t_check "unknown key: the run goes on" grep -q "Processing phase \`Checks\`" <<<"$OUT"
t_eq "configured threshold applies: ${K_BOOT_SPACE} inhibitor, exit 3" "3 ${K_BOOT_SPACE}" \
	"$RC $(jq -r '[.entries[] | select(.groups | index("inhibitor")) | .key] | join(" ")' "$R/var/log/leapp/leapp-report.json")"
t_check "the threshold is in the summary" grep -q "at least 900000000 MiB" <<<"$(jq -r --arg k "$K_BOOT_SPACE" '.entries[] | select(.key == $k) | .summary' "$R/var/log/leapp/leapp-report.json")"

# a section no actor declares: a warning; not on a resume (the upgrade initramfs and the live
# image carry only the interim actors: the others' sections were checked when the upgrade began)
printf 'no_such_section:\n  x: 1\n' >"$C/30-other.yaml"
OUT=$("$T_LEAPP" preupgrade --root "$R" 2>&1)
t_check "unknown section: a warning naming file, line and section" \
	grep -q "warning: /etc/leapp/actor_conf.d/30-other.yaml:1: unknown key 'no_such_section' (no actor declares this section)" <<<"$OUT"
OUT=$("$T_LEAPP" upgrade --resume --root "$R" 2>&1)
t_check "unknown section: no warning on upgrade --resume" bash -c '! grep -q "no_such_section" <<<"$1"' _ "$OUT"
rm "$C/30-other.yaml"

printf 'check_boot_avail_space:\n  min_free_mib: 900000000\n  enabled: false\n' >"$C/10-boot.yaml"
OUT=$("$T_LEAPP" preupgrade --root "$R" 2>&1); RC=$?
t_eq "enabled: false opts out: exit 0" 0 "$RC"
t_done

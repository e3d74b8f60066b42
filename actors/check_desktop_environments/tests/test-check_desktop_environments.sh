#!/bin/bash
# check_desktop_environments: KDE alone inhibits (naming the KDE applications), KDE with GNOME
# warns, GNOME gets a notice; no desktop, or 9 -> 10: nothing.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
rpm_json() { local s="" sep="" n; for n in "$@"; do s="$s$sep{\"name\":\"$n\",\"version\":\"1\",\"release\":\"1.el8\",\"arch\":\"x86_64\"}"; sep=","; done; printf '{"items":[%s]}' "$s"; }
run() { local s=$1 t=$2; shift 2; mk_input "$F_DIR/in.json" "$(ipu "$s" "$t")" InstalledRPM "$(rpm_json "$@")"; run_actor check_desktop_environments / "$F_DIR/in.json"; }
titles() { printf '%s' "$A_OUT" | jq -r '[.reports[] | "\(.title)|\(.severity)|\(.groups | index("inhibitor") != null)"] | sort | join(";")'; }
run 8.10 9.6 bash plasma-workspace okular konsole
t_eq "KDE alone: inhibitor" "The installed KDE environment is unavailable on the target release.|high|true" "$(titles)"
t_check "the KDE applications are named" grep -q -- "- okular" <<<"$(printf '%s' "$A_OUT" | jq -r '.reports[0].summary')"
t_eq "desktop group" "true" "$(printf '%s' "$A_OUT" | jq '.reports[0].groups | index("desktop") != null')"
run 8.10 9.6 plasma-workspace gnome-shell
t_eq "KDE and GNOME: the KDE warning and the GNOME notice" \
	"GNOME desktop environment will be upgraded to a new major version|info|false;Upgrade can be performed, but KDE will not work on the target release.|medium|false" "$(titles)"
run 8.10 9.6 gnome-shell
t_eq "GNOME alone: the notice" "GNOME desktop environment will be upgraded to a new major version|info|false" "$(titles)"
run 8.10 9.6 bash okular
t_eq "a KDE application without the desktop: nothing" "" "$(titles)"
run 9.6 10.0 plasma-workspace
t_eq "9 -> 10: nothing" "" "$(titles)"
t_done

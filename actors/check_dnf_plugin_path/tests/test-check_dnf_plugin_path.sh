#!/bin/bash
# dnf_plugin_path_scanner + check_dnf_plugin_path: pluginpath in [main] inhibits with upstream's
# title and the sed command; in another section, or absent, or no dnf.conf: nothing. One
# preupgrade on the demo system with pluginpath set: exit 3.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
R=$F_DIR/root
mkdir -p "$R/etc/dnf"
scan_check() {
	run_actor dnf_plugin_path_scanner "$R"
	chain_input "$F_DIR/in.json" "$(ipu 8.10 9.6)"
	run_actor check_dnf_plugin_path / "$F_DIR/in.json"
}
printf '[main]\ngpgcheck=1\npluginpath = /opt/dnf-plugins\n' >"$R/etc/dnf/dnf.conf"
run_actor dnf_plugin_path_scanner "$R"
t_eq "scanner: found, with its line" '"true /opt/dnf-plugins 3"' "$(msg DnfPluginPathDetected '"\(.is_pluginpath_detected) \(.pluginpath) \(.line)"')"
scan_check
t_eq "inhibits with upstream's title" "Detected specified pluginpath in DNF configuration.|high|true" \
	"$(printf '%s' "$A_OUT" | jq -r '.reports[] | "\(.title)|\(.severity)|\(.groups | index("inhibitor") != null)"')"
t_check "the summary names the path and line" grep -q "line 3 sets pluginpath = /opt/dnf-plugins" <<<"$(printf '%s' "$A_OUT" | jq -r '.reports[0].summary')"
t_eq "the remediation command" '["sed","-i","s/^pluginpath[[:space:]]*=/#pluginpath=/","/etc/dnf/dnf.conf"]' \
	"$(printf '%s' "$A_OUT" | jq -c '.reports[0].detail.remediations[] | select(.type == "command") | .context')"
printf '[main]\ngpgcheck=1\n#pluginpath=/opt\n[other]\npluginpath=/x\n' >"$R/etc/dnf/dnf.conf"
scan_check
t_eq "commented out or in another section: nothing" 0 "$(printf '%s' "$A_OUT" | jq '.reports | length')"
rm "$R/etc/dnf/dnf.conf"
scan_check
t_eq "no dnf.conf: nothing" 0 "$(printf '%s' "$A_OUT" | jq '.reports | length')"

sysroot minimal || { t_fail "mksysroot minimal"; t_done; exit 1; }
printf 'pluginpath=/usr/lib/python3.6/site-packages/dnf-plugins\n' >>"$SR/root/etc/dnf/dnf.conf"
OUT=$("$T_LEAPP" preupgrade --root "$SR/root" 2>&1); RC=$?
t_eq "preupgrade: exit 3" 3 "$RC"
t_eq "preupgrade: the inhibitor" "Detected specified pluginpath in DNF configuration." \
	"$(jq -r '[.entries[] | select(.groups | index("inhibitor")) | .title] | join("; ")' "$SR/root/var/log/leapp/leapp-report.json")"
t_done

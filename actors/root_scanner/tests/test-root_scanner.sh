#!/bin/bash
# root_scanner + check_root_symlinks: an absolute symlink in / inhibits, with relative ln -snf
# commands as the remediation; relative links and directories pass.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
R=$F_DIR/root
mkdir -p "$R/usr/lib64" "$R/usr/bin" "$R/etc"
ln -s usr/bin "$R/bin"
ln -s /usr/lib64 "$R/lib64"
ln -s //usr/./sbin/../sbin/ "$R/sbin"
run_actor root_scanner "$R"
t_eq "scanner runs" 0 "$A_RC"
t_eq "entries sorted, with their targets" '[["bin","usr/bin"],["etc",null],["lib64","/usr/lib64"],["sbin","//usr/./sbin/../sbin/"],["usr",null]]' \
	"$(msg RootDirectory '[.items[] | [.name, .target]]')"
chain_input "$F_DIR/in.json" "$(ipu 8.10 9.6)"
run_actor check_root_symlinks "$R" "$F_DIR/in.json"
T='Upgrade requires links in root directory to be relative'
t_eq "absolute links inhibit" "$T" "$(printf '%s' "$A_OUT" | jq -r '.reports[] | select(.groups | index("inhibitor")) | .title')"
t_eq "severity high" high "$(printf '%s' "$A_OUT" | jq -r '.reports[0].severity')"
t_eq "the commands make them relative" '[["ln","-snf","usr/lib64","/lib64"],["ln","-snf","usr/sbin","/sbin"]]' \
	"$(printf '%s' "$A_OUT" | jq -c '[.reports[0].detail.remediations[] | select(.type == "command") | .context]')"
t_eq "the links are named" '/lib64 /sbin' \
	"$(printf '%s' "$A_OUT" | jq -r '[.reports[0].detail.related_resources[].title] | join(" ")')"

# a link whose name is not UTF-8: a hint instead of a command
rm "$R/lib64" "$R/sbin"
ln -s /usr/lib64 "$R/$(printf 'l\xffb')"
run_actor root_scanner "$R"
t_eq "a non-UTF-8 name is escaped" 'l\xffb false' "$(msgr RootDirectory '.items[] | select(.target == "/usr/lib64") | "\(.name) \(.utf8)"')"
chain_input "$F_DIR/in.json" "$(ipu 8.10 9.6)"
run_actor check_root_symlinks "$R" "$F_DIR/in.json"
t_eq "it still inhibits" 1 "$(printf '%s' "$A_OUT" | jq '[.reports[] | select(.groups | index("inhibitor"))] | length')"
t_check "a hint names it, no command" grep -q 'l\\xffb -> /usr/lib64' <<<"$(printf '%s' "$A_OUT" | jq -r '.reports[0].detail.remediations[] | select(.type == "hint") | .context')"

# only relative links: nothing
rm "$R/$(printf 'l\xffb')"
ln -s usr/lib64 "$R/lib64"
run_actor root_scanner "$R"
chain_input "$F_DIR/in.json" "$(ipu 8.10 9.6)"
run_actor check_root_symlinks "$R" "$F_DIR/in.json"
t_eq "relative links pass" "0 0" "$A_RC $(printf '%s' "$A_OUT" | jq '.reports | length')"
t_done

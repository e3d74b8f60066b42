#!/bin/bash
# schedule_selinux_relabel (Finalization), run alone with `leapp actor run`: SELinux enforcing
# or permissive: /.autorelabel is written and reported; disabled in the facts, on the kernel
# command line, or by the upgraded /etc/selinux/config, or no facts at all: no relabel, and
# the log says why.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
R=$F_DIR/root
mkdir -p "$R/etc/selinux"
printf 'SELINUX=enforcing\nSELINUXTYPE=targeted\n' >"$R/etc/selinux/config"
facts() { printf '{"messages":[{"model":"SELinuxFacts","data":%s}]}' "$1" >"$F_DIR/in.json"; }
T="SELinux relabeling has been scheduled"

facts '{"config_present":true,"mode":"enforcing","policy":"targeted"}'
leapp_actor_run schedule_selinux_relabel "$R" "$F_DIR/in.json"
t_eq "enforcing: runs" 0 "$A_RC" "$A_ERR"
t_check "enforcing: /.autorelabel written" test -f "$R/.autorelabel"
t_eq "enforcing: reported" "info" "$(printf '%s' "$A_OUT" | jq -r --arg t "$T" '.reports[] | select(.title == $t) | .severity')"

rm -f "$R/.autorelabel"
facts '{"config_present":true,"mode":"disabled","policy":"targeted"}'
leapp_actor_run schedule_selinux_relabel "$R" "$F_DIR/in.json"
t_eq "disabled: runs" 0 "$A_RC" "$A_ERR"
t_check "disabled: no /.autorelabel" test ! -e "$R/.autorelabel"
t_eq "disabled: no report" 0 "$(printf '%s' "$A_OUT" | jq '.reports | length')"
t_check "disabled: the log says why" grep -q "no SELinux relabel: SELinux is disabled in /etc/selinux/config" <<<"$(a_logs info)"

facts '{"config_present":true,"mode":"disabled","policy":"targeted","cmdline_override":"selinux=0"}'
leapp_actor_run schedule_selinux_relabel "$R" "$F_DIR/in.json"
t_check "selinux=0: the log names the kernel command line" grep -q "disabled on the kernel command line" <<<"$(a_logs info)"
t_check "selinux=0: no /.autorelabel" test ! -e "$R/.autorelabel"

printf 'SELINUX=disabled\n' >"$R/etc/selinux/config"
facts '{"config_present":true,"mode":"permissive","policy":"targeted"}'
leapp_actor_run schedule_selinux_relabel "$R" "$F_DIR/in.json"
t_check "the upgraded config disables it: no /.autorelabel" test ! -e "$R/.autorelabel"
t_check "the upgraded config disables it: said" grep -q "the upgraded /etc/selinux/config disables SELinux" <<<"$(a_logs info)"

echo '{"messages":[]}' >"$F_DIR/none.json"
leapp_actor_run schedule_selinux_relabel "$R" "$F_DIR/none.json"
t_eq "no facts: runs" 0 "$A_RC" "$A_ERR"
t_check "no facts: the log says selinux_scanner did not run" grep -q "there are no SELinux facts" <<<"$(a_logs info)"
t_check "no facts: no /.autorelabel" test ! -e "$R/.autorelabel"
t_done

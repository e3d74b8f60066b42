#!/bin/bash
# End to end: a system whose openssh-server ships sshd_config with "PermitRootLogin yes" (as
# release 8's does), unmodified: preupgrade exits 3 with upstream's inhibitor and the broker's
# dialog entry; answering keep_password_login=True (as an answerfile would for a fleet) gives
# exit 0, the medium entry and the task for the Applications phase. Edited (modified) with the
# same line: upstream's warning and the Include notice, exit 0.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
SPEC=$F_DIR/sshd-root.yaml
cat >"$SPEC" <<'YAML'
# minimal, with release 8's real sshd_config line
include: minimal
name: sshd-root
description: minimal whose packaged sshd_config allows root password logins
packages:
  - name: openssh-server
    files:
      - /usr/sbin/sshd
      - path: /etc/ssh/sshd_config
        config: noreplace
        mode: "0600"
        content: |
          HostKey /etc/ssh/ssh_host_rsa_key
          PermitRootLogin yes
          UsePAM yes
          Subsystem	sftp	/usr/libexec/openssh/sftp-server
expected:
  inhibitors: []
YAML
SR=$F_DIR/sr
scripts_log=$F_DIR/mksysroot.log
"$T_TOP/scripts/mksysroot" "$SPEC" "$SR" >"$scripts_log" 2>&1 || { tail -5 "$scripts_log"; t_fail "mksysroot sshd-root"; t_done; exit 1; }
R=$SR/root
REP=$R/var/log/leapp/leapp-report.json
inh() { jq -r '[.entries[] | select(.groups | index("inhibitor")) | .title] | sort | join("; ")' "$REP"; }
OUT=$("$T_LEAPP" preupgrade --root "$R" 2>&1); RC=$?
t_eq "unanswered: exit 3" 3 "$RC"
t_eq "unanswered: upstream's inhibitor and the dialog's" "Missing required answers in the answer file; Possible problems with remote login using root account" "$(inh)"
t_check "the report validates" validate_report "$REP"
t_check "the answerfile offers the question" grep -qx '\[check_sshd_permit_root_login\]' "$R/var/log/leapp/answerfile"

# the admin's answerfile (what infra.leapp's leapp_answerfile writes)
printf '[check_sshd_permit_root_login]\nkeep_password_login = True\n' >"$R/var/log/leapp/answerfile"
OUT=$("$T_LEAPP" preupgrade --root "$R" 2>&1); RC=$?
t_eq "answered True in the answerfile: exit 0" 0 "$RC" "$(tail -3 <<<"$OUT")"
t_eq "answered: no inhibitor" "" "$(inh)"
t_eq "answered: the fix is reported" "medium" "$(jq -r '.entries[] | select(.title == "sshd_config will get an explicit PermitRootLogin yes") | .severity' "$REP")"
t_eq "answered: the task is stored for the Applications phase" "1" \
	"$(sqlite3 "$R/var/lib/leapp/leapp.db" "select count(*) from messages where model = 'SshdPermitRootLoginTask' and execution = (select max(id) from executions)")"

# modified by the admin (a comment next to the line, as upstream suggests): kept, warned
rm -f "$R/var/log/leapp/answerfile" "$R/var/log/leapp/answerfile.userchoices"
sed -i 's/^PermitRootLogin yes$/PermitRootLogin yes # we need it/' "$R/etc/ssh/sshd_config"
OUT=$("$T_LEAPP" preupgrade --root "$R" 2>&1); RC=$?
t_eq "modified: exit 0" 0 "$RC" "$(tail -3 <<<"$OUT")"
t_eq "modified: upstream's warning, high" "high" "$(jq -r '.entries[] | select(.title == "Remote root logins globally allowed using password") | .severity' "$REP")"
t_eq "modified: the Include notice" "info" "$(jq -r '.entries[] | select(.title == "The upgrade will prepend the Include directive to OpenSSH sshd_config") | .severity' "$REP")"
t_done

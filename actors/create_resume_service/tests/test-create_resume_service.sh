#!/bin/bash
# create_resume_service (Finalization), run alone with `leapp actor run`: writes
# leapp_resume.service running the configured leapp with "upgrade --resume", enables it for
# multi-user.target with the link systemctl enable makes (a wrong link is replaced), reports it
# and produces ResumeService; a leapp_command that is not an absolute path fails, naming it,
# and writes nothing.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
R=$F_DIR/root
mkdir -p "$R/etc/systemd/system/multi-user.target.wants"
UNIT=/etc/systemd/system/leapp_resume.service
LINK=/etc/systemd/system/multi-user.target.wants/leapp_resume.service
# a stale link to another unit: replaced
ln -s /etc/systemd/system/other.service "$R$LINK"
echo '{"messages":[]}' >"$F_DIR/in.json"
leapp_actor_run create_resume_service "$R" "$F_DIR/in.json"
t_eq "runs" 0 "$A_RC" "$A_ERR"
t_eq "the unit runs leapp upgrade --resume" "ExecStart=/usr/bin/leapp upgrade --resume" "$(grep ^ExecStart= "$R$UNIT")"
t_eq "wanted by multi-user.target" "WantedBy=multi-user.target" "$(grep ^WantedBy= "$R$UNIT")"
t_eq "enabled: the link points at the unit" "$UNIT" "$(readlink "$R$LINK")"
t_eq "ResumeService names the unit, the link and the command" \
	"{\"unit\":\"$UNIT\",\"links\":[\"$LINK\"],\"command\":\"/usr/bin/leapp upgrade --resume\"}" \
	"$(msg ResumeService '{unit, links, command}')"
t_eq "the report entry, info" "info" "$(printf '%s' "$A_OUT" | jq -r '.reports[] | select(.title == "leapp_resume.service enabled") | .severity')"

# twice is once; another leapp, from the configuration
echo '{"messages":[],"config":{"leapp_command":"/opt/leapp/bin/leapp"}}' >"$F_DIR/conf.json"
leapp_actor_run create_resume_service "$R" "$F_DIR/conf.json"
t_eq "again with leapp_command: runs" 0 "$A_RC" "$A_ERR"
t_eq "the configured command" "ExecStart=/opt/leapp/bin/leapp upgrade --resume" "$(grep ^ExecStart= "$R$UNIT")"
t_eq "one link, no temporary left" "leapp_resume.service" "$(ls -A "$R/etc/systemd/system/multi-user.target.wants")"

# bad configuration: a relative command is refused before anything is written
R2=$F_DIR/root2
mkdir -p "$R2/etc"
echo '{"messages":[],"config":{"leapp_command":"leapp --debug"}}' >"$F_DIR/bad.json"
leapp_actor_run create_resume_service "$R2" "$F_DIR/bad.json"
t_eq "a relative leapp_command: the actor fails" 1 "$A_RC"
t_check "the error names the setting and its value" grep -q "leapp_command must be an absolute path.*'leapp --debug'" <<<"$(a_errors)"
t_check "nothing written" test ! -e "$R2/etc/systemd"
t_done

#!/bin/bash
# remove_resume_service (FirstBoot, after), run alone with `leapp actor run`: removes the unit
# and the links the ResumeService message names, and the links systemctl enable could have
# made, reporting it; a link of another unit stays; with nothing installed it says so and
# reports nothing.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
R=$F_DIR/root
S=/etc/systemd/system
mkdir -p "$R$S/multi-user.target.wants" "$R$S/default.target.wants" "$R$S/graphical.target.wants"
printf '[Service]\nExecStart=/usr/bin/leapp upgrade --resume\n' >"$R$S/leapp_resume.service"
ln -s $S/leapp_resume.service "$R$S/multi-user.target.wants/leapp_resume.service"
ln -s $S/leapp_resume.service "$R$S/default.target.wants/leapp_resume.service"
# a link the message names in another target
ln -s $S/leapp_resume.service "$R$S/graphical.target.wants/leapp_resume.service"
ln -s /usr/lib/systemd/system/sshd.service "$R$S/multi-user.target.wants/sshd.service"
SVC="{\"unit\":\"$S/leapp_resume.service\",\"links\":[\"$S/graphical.target.wants/leapp_resume.service\"],\"command\":\"/usr/bin/leapp upgrade --resume\"}"
printf '{"messages":[{"model":"ResumeService","data":%s}]}' "$SVC" >"$F_DIR/in.json"
leapp_actor_run remove_resume_service "$R" "$F_DIR/in.json"
t_eq "runs" 0 "$A_RC" "$A_ERR"
t_eq "the unit and every link removed, another unit's link kept" \
	"$S/multi-user.target.wants/sshd.service" "$(cd "$R" && find .$S \( -type f -o -type l \) | sed 's/^\.//' | sort)"
t_eq "the report entry" "info" "$(printf '%s' "$A_OUT" | jq -r '.reports[] | select(.title == "leapp_resume.service removed") | .severity')"
t_eq "each removal logged" 4 "$(a_logs info | grep -c '^removed ')"

# again (a rerun after a kill before the commit): the same entry, saying it is removed already
leapp_actor_run remove_resume_service "$R" "$F_DIR/in.json"
t_eq "twice: runs" 0 "$A_RC" "$A_ERR"
t_eq "twice: the same entry" "leapp_resume.service removed info" \
	"$(printf '%s' "$A_OUT" | jq -r '.reports[] | "\(.title) \(.severity)"')"
t_check "twice: ... saying it is removed already" grep -q "it is removed already" <<<"$(printf '%s' "$A_OUT" | jq -r '.reports[].summary')"
t_check "twice: it logs that nothing was left" grep -q "leapp_resume.service is removed already: nothing left to remove" <<<"$(a_logs info)"
# no ResumeService message and nothing installed: nothing to do, no entry
printf '{"messages":[]}' >"$F_DIR/none.json"
leapp_actor_run remove_resume_service "$R" "$F_DIR/none.json"
t_eq "never installed: runs" 0 "$A_RC" "$A_ERR"
t_eq "never installed: no report" 0 "$(printf '%s' "$A_OUT" | jq '.reports | length')"
t_check "never installed: it says there is nothing to remove" grep -q "leapp_resume.service is not installed: nothing to remove" <<<"$(a_logs info)"
t_done

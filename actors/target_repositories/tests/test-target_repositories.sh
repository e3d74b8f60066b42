#!/bin/bash
# target_repositories (TargetTransactionFactsCollection), run alone with `leapp actor run` on the
# minimal system with the last run's facts: every enabled repository of
# leapp_upgrade_repositories.repo becomes a TargetRepositories entry, with its baseurl; a
# broken repository file inhibits, naming the file and the line; no IPUConfig: the actor fails
# saying so (run as its own binary).
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
. "$T_TOP/tests/plan/lib-plan.sh"
p_plan_minimal
F=$R/etc/leapp/files/leapp_upgrade_repositories.repo
run() { OUT=$("$T_LEAPP" actor run target_repositories --root "$R" --from-last-run 2>"$P_DIR/err"); RC=$?; }
run
t_eq "runs with the last run's messages" 0 "$RC" "$(tail -3 "$P_DIR/err")"
t_eq "the repositories of the repo file" "almalinux9-appstream almalinux9-baseos almalinux9-crb almalinux9-extras" \
	"$(jq -r '[.messages[] | select(.model == "TargetRepositories") | .data.repos[].repoid] | sort | join(" ")' <<<"$OUT")"
t_eq "with their baseurl" "file://$P_DIR/m/repos/almalinux9-baseos" \
	"$(jq -r '.messages[].data.repos[] | select(.repoid == "almalinux9-baseos") | .baseurl[0]' <<<"$OUT")"
t_eq "nothing missing, nothing unmapped" "0 0" "$(jq -r '.messages[0].data | "\(.missing | length) \(.unmapped | length)"' <<<"$OUT")"

printf '\nthis line is not a repository file line\n' >>"$F"
run
t_eq "a broken repo file: runs (it reports)" 0 "$RC" "$(tail -3 "$P_DIR/err")"
L=$(grep -n "this line is not" "$F" | cut -d: -f1)
t_check "a broken repo file: an inhibitor naming the file and line" grep -q "/etc/leapp/files/leapp_upgrade_repositories.repo:$L" \
	<<<"$(jq -r '.reports[] | select(.title == "Invalid target repository file" and (.groups | index("inhibitor"))) | .summary' <<<"$OUT")"
t_eq "a broken repo file: no TargetRepositories" 0 "$(jq '[.messages[] | select(.model == "TargetRepositories")] | length' <<<"$OUT")"

# the actor's own binary without a workflow (leapp actor run makes one from the root's os-release)
echo '{"messages":[]}' >"$P_DIR/none.json"
run_actor target_repositories "$R" "$P_DIR/none.json"
t_eq "no IPUConfig: fails" 1 "$A_RC"
t_check "no IPUConfig: says so" grep -q "no workflow configuration (IPUConfig)" <<<"$A_ERR$A_OUT"
t_done

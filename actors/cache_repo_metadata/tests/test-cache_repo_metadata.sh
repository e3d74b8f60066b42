#!/bin/bash
# cache_repo_metadata (Download), run alone with `leapp actor run` on the minimal system's plan:
# every planned repository's repodata/ is copied into the package cache
# (/var/lib/leapp/packages/<repoid>/repodata, repomd.xml included) and RepoMetadataCache names
# each; twice is once; a repository whose metadata is gone fails, naming it; a remote one
# without a local copy is skipped with a warning; no DownloadedPackages: nothing to cache, said.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
. "$T_TOP/tests/plan/lib-plan.sh"
p_plan_minimal
C=/var/lib/leapp/packages
PLAN=$(p_planned m)
DP='{"cache_dir":"'"$R$C"'","cache_dir_in_root":"'"$C"'","packages":[]}'
mk_input "$P_DIR/in.json" "$(ipu 8.10 9.6)" PlannedTransaction "$PLAN" DownloadedPackages "$DP"
IDS=$(jq -r '[.repos[].repoid] | sort | join(" ")' <<<"$PLAN")
leapp_actor_run cache_repo_metadata "$R" "$P_DIR/in.json"
t_eq "runs" 0 "$A_RC" "$(a_errors; echo "$A_ERR")"
t_eq "RepoMetadataCache names every planned repository" "$IDS" "$(msgr RepoMetadataCache '[.repos[].repoid] | sort | join(" ")')"
t_eq "in the cache, in the root's terms" "$C/almalinux9-baseos" "$(msgr RepoMetadataCache '.repos[] | select(.repoid == "almalinux9-baseos") | .path_in_root')"
t_check "repomd.xml copied, the same as the repository's" cmp "$P_DIR/m/repos/almalinux9-baseos/repodata/repomd.xml" "$R$C/almalinux9-baseos/repodata/repomd.xml"
t_eq "every metadata file copied" "$(ls "$P_DIR/m/repos/almalinux9-baseos/repodata" | sort)" "$(ls "$R$C/almalinux9-baseos/repodata" | sort)"
leapp_actor_run cache_repo_metadata "$R" "$P_DIR/in.json"
t_eq "twice: runs, nothing left beside the copies" "0 $IDS" "$A_RC $(ls "$R$C" | sort | tr '\n' ' ' | sed 's/ $//')"

# a remote repository without a local copy is skipped; one whose local metadata is gone fails
REMOTE=$(jq -c '.repos[0].baseurl = ["https://mirror.invalid/el9/baseos"] | .repos[0].metadata_path = null' <<<"$PLAN")
mk_input "$P_DIR/remote.json" "$(ipu 8.10 9.6)" PlannedTransaction "$REMOTE" DownloadedPackages "$DP"
leapp_actor_run cache_repo_metadata "$R" "$P_DIR/remote.json"
t_eq "a remote repository: runs" 0 "$A_RC" "$(a_errors)"
t_check "a remote repository: a warning names it" grep -q "repository $(jq -r '.repos[0].repoid' <<<"$PLAN"): no local baseurl (https://mirror.invalid/el9/baseos)" <<<"$(a_logs warning)"
GONE=$(jq -c --arg p "$P_DIR/m/repos/nowhere" '.repos[0].metadata_path = $p' <<<"$PLAN")
mk_input "$P_DIR/gone.json" "$(ipu 8.10 9.6)" PlannedTransaction "$GONE" DownloadedPackages "$DP"
leapp_actor_run cache_repo_metadata "$R" "$P_DIR/gone.json"
t_eq "metadata gone: fails" 1 "$A_RC"
t_check "metadata gone: names the repository" grep -q "cannot copy a target repository's metadata into the package cache: repository $(jq -r '.repos[0].repoid' <<<"$PLAN")" <<<"$(a_errors)"

mk_input "$P_DIR/nodl.json" "$(ipu 8.10 9.6)" PlannedTransaction "$PLAN"
leapp_actor_run cache_repo_metadata "$R" "$P_DIR/nodl.json"
t_eq "not downloaded: runs" 0 "$A_RC"
t_check "not downloaded: says there is nothing to cache" grep -q "nothing to cache: the packages were not downloaded" <<<"$(a_logs warning)"
t_done

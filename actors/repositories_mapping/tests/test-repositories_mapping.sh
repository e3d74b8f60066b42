#!/bin/bash
# repositories_mapping (TargetTransactionFactsCollection), run alone with `leapp actor run`: the
# built-in repomap.json reduced to 8 -> 9 on x86_64 (RepositoriesMapping: the file read, the
# 8 -> 9 entries, only x86_64 repositories of majors 8 and 9); a vendor map is merged; a vendor
# map without version_format inhibits naming it; a repomap.json in /etc/leapp/files that is not
# JSON inhibits naming the file, line and column; no IPUConfig: the actor fails saying so.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
R=$F_DIR/root
mkdir -p "$R/etc/leapp/files/vendors.d"
mk_input "$F_DIR/in.json" "$(ipu 8.10 9.6)"
leapp_actor_run repositories_mapping "$R" "$F_DIR/in.json"
t_eq "runs" 0 "$A_RC" "$(a_errors; echo "$A_ERR")"
t_eq "the built-in file was read" "repomap.json" "$(msgr RepositoriesMapping '.files[0]' | xargs basename)"
t_eq "rhel8-BaseOS maps to rhel9-BaseOS" '["rhel9-BaseOS"]' \
	"$(msg RepositoriesMapping '[.mapping[] | select(.source == "rhel8-BaseOS") | .target] | first')"
t_eq "only the 8 -> 9 entries (no rhel7 source)" "0" \
	"$(msg RepositoriesMapping '[.mapping[] | select(.source | startswith("rhel7"))] | length')"
t_eq "only x86_64 repositories of majors 8 and 9" '[["8","9"],["x86_64"]]' \
	"$(msg RepositoriesMapping '[([.repositories[].major_version] | unique), ([.repositories[].arch] | unique)]')"

cat >"$R/etc/leapp/files/vendors.d/acme_map.json" <<'JSON'
{"version_format": "1.2.1", "datetime": "202501010000Z",
 "mapping": [{"source_major_version": "8", "target_major_version": "9",
	"entries": [{"source": "acme8", "target": ["acme9"]}]}],
 "repositories": [
	{"pesid": "acme8", "entries": [{"major_version": "8", "repoid": "acme-8", "arch": "x86_64", "channel": "ga", "repo_type": "rpm"}]},
	{"pesid": "acme9", "entries": [{"major_version": "9", "repoid": "acme-9", "arch": "x86_64", "channel": "ga", "repo_type": "rpm"}]}]}
JSON
leapp_actor_run repositories_mapping "$R" "$F_DIR/in.json"
t_eq "a vendor map: runs" 0 "$A_RC" "$(a_errors; echo "$A_ERR")"
t_eq "the vendor's entry merged" '["acme9"]' "$(msg RepositoriesMapping '[.mapping[] | select(.source == "acme8") | .target] | first')"
t_eq "the vendor's repository" "acme-9" "$(msgr RepositoriesMapping '.repositories[] | select(.pesid == "acme9") | .repoid')"

echo '{"mapping": []}' >"$R/etc/leapp/files/vendors.d/acme_map.json"
leapp_actor_run repositories_mapping "$R" "$F_DIR/in.json"
t_eq "a bad vendor map: no RepositoriesMapping" 0 "$(printf '%s' "$A_OUT" | jq '.messages | length')"
t_check "a bad vendor map: an inhibitor naming the file and what is missing" grep -qF "/etc/leapp/files/vendors.d/acme_map.json: $: missing 'version_format'" \
	<<<"$(printf '%s' "$A_OUT" | jq -r '.reports[] | select(.title == "Invalid repository map" and (.groups | index("inhibitor"))) | .summary')"
rm "$R/etc/leapp/files/vendors.d/acme_map.json"

printf '{\n "version_format": "1.2.1",\n "mapping": [ {"source_major_version": 8,,\n' >"$R/etc/leapp/files/repomap.json"
leapp_actor_run repositories_mapping "$R" "$F_DIR/in.json"
t_eq "a broken repomap.json: runs (it reports)" 0 "$A_RC"
t_check "a broken repomap.json: an inhibitor naming the file, line and column" grep -q "/etc/leapp/files/repomap.json:3:42:" \
	<<<"$(printf '%s' "$A_OUT" | jq -r '.reports[] | select(.groups | index("inhibitor")) | .summary')"

echo '{"messages":[]}' >"$F_DIR/none.json"
leapp_actor_run repositories_mapping "$R" "$F_DIR/none.json"
t_eq "no IPUConfig: fails" 1 "$A_RC"
t_check "no IPUConfig: says so" grep -q "no workflow configuration (IPUConfig)" <<<"$(a_errors)"
t_done

#!/bin/bash
# module_stream_facts (TargetTransactionFactsCollection), run alone with `leapp actor run`: every
# [module] of /etc/dnf/modules.d/*.module becomes an EnabledModules entry (name, stream, state,
# profiles, file), in file order; no directory: an empty list; a file that is not a module
# state file inhibits, naming the file and the line.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
R=$F_DIR/root
D=$R/etc/dnf/modules.d
mkdir -p "$D"
printf '[postgresql]\nname=postgresql\nstream=12\nprofiles=client,server\nstate=enabled\n' >"$D/postgresql.module"
printf '[nodejs]\nname=nodejs\nstream=\nprofiles=\nstate=\n' >"$D/nodejs.module"
echo '{"messages":[]}' >"$F_DIR/in.json"
leapp_actor_run module_stream_facts "$R" "$F_DIR/in.json"
t_eq "runs" 0 "$A_RC" "$(a_errors; echo "$A_ERR")"
t_eq "both modules, sorted by file, with their state" \
	'[{"name":"nodejs","stream":"","state":"","profiles":[],"file":"/etc/dnf/modules.d/nodejs.module"},{"name":"postgresql","stream":"12","state":"enabled","profiles":["client","server"],"file":"/etc/dnf/modules.d/postgresql.module"}]' \
	"$(msg EnabledModules '.modules | map({name, stream, state, profiles, file})')"
t_check "the enabled stream is logged" grep -q "module stream postgresql:12 enabled" <<<"$(a_logs info)"

R2=$F_DIR/empty
mkdir -p "$R2/etc"
leapp_actor_run module_stream_facts "$R2" "$F_DIR/in.json"
t_eq "no modules.d: runs" 0 "$A_RC"
t_eq "no modules.d: an empty list" "[]" "$(msg EnabledModules .modules)"

printf '[perl]\nname=perl\nthis is not dnf\n' >"$D/perl.module"
leapp_actor_run module_stream_facts "$R" "$F_DIR/in.json"
t_eq "a broken file: runs (it reports)" 0 "$A_RC"
t_eq "a broken file: no EnabledModules" "0" "$(printf '%s' "$A_OUT" | jq '.messages | length')"
t_eq "a broken file: an inhibitor" "inhibitor" \
	"$(printf '%s' "$A_OUT" | jq -r '.reports[] | select(.title == "Invalid module state file") | .groups | index("inhibitor") | if . == null then "" else "inhibitor" end')"
t_check "it names the file and the line" grep -q "/etc/dnf/modules.d/perl.module:3: not a module state file" \
	<<<"$(printf '%s' "$A_OUT" | jq -r '.reports[].summary')"
t_done

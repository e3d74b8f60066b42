#!/bin/bash
# The broker's limits on what an actor can make it read, hold or store per run (DESIGN.md
# section 6, issue 16 item 8): each flood stops the actor with an error naming it and the limit,
# the broker finishes cleanly, and the store passes integrity_check.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../engine/lib-engine.sh"
. "$(dirname "$0")/lib-sandbox.sh"

declare -A cause=(
	[logbillion]="sent more than 64 MiB of log lines and output (the limit per run)"
	[biglogframe]="sent more than 64 MiB of log lines and output (the limit per run)"
	[reportflood]="sent more than 10000 report entries (the limit per run)"
	[dialogflood]="sent more than 1000 dialogs (the limit per run)"
)
# the sanitizers' shadow memory and quarantine multiply the broker's RSS
rss_max=204800
case "$T_BUILD" in *san*) rss_max=1048576 ;; esac
for m in logbillion biglogframe reportflood dialogflood; do
	root=$(mk_root)
	mk_hostile "$root" "l_$m" FactsCollection "$m" "" "timeout: 120"
	mk_actor "$root" good FactsCollection chain "" TestValue
	t0=$SECONDS
	out=$("$T_LEAPP" preupgrade --root "$root" --json-progress 2>&1); rc=$?
	t_eq "$m: the broker finishes with exit 1" 1 "$rc"
	t_check "$m: the actor is stopped at the limit, not at its timeout" test $((SECONDS - t0)) -lt 60
	check_hostile "$root" "l_$m" "${cause[$m]}"
	t_eq "$m: integrity_check" ok "$(db "$root" "pragma integrity_check")"
	t_eq "$m: the other actor's message is intact" 1 "$(committed_count "$root" good)"
	t_eq "$m: what was stored of its logs is capped" 1 \
		"$(db "$root" "select coalesce(sum(length(message)), 0) <= 1100 * 1024 from logs l join actor_runs r on r.id = l.run where r.actor = 'l_$m'")"
	rss=$(printf '%s\n' "$out" | grep -o '"broker_peak_rss_kb": *[0-9]*' | grep -o '[0-9]*$')
	t_check "$m: the broker's memory stays bounded (peak RSS ${rss:-?} KiB < $((rss_max / 1024)) MiB)" test "${rss:-9999999}" -lt "$rss_max"
done
no_leftovers "test-limits"
t_done

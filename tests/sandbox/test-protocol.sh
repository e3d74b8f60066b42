#!/bin/bash
# Protocol violations under the sandbox: an actor that closes fd 3, announces a frame over the
# limit or sends bytes that are not msgpack is killed at once, with the child it started (its own
# session, deaf to SIGTERM), and the kill is recorded.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../engine/lib-engine.sh"
. "$(dirname "$0")/lib-sandbox.sh"

root=$(sb_root)
declare -A cause=(
	[closefd]="closed its channel (fd 3) without finishing"
	[bigframe]="sent a frame larger than the limit"
	[garbage]="sent bytes that are not a msgpack frame"
)
for m in "${!cause[@]}"; do
	mk_hostile "$root" "p_$m" FactsCollection "$m" "" "timeout: 60"
done
mk_actor "$root" good FactsCollection chain "" TestValue
mk_actor "$root" good_after FactsCollection chain TestValue TestValue "stage: after"
t0=$SECONDS
leapp_run "$root" preupgrade --jobs 4
t_eq "the run completes (with errors)" 1 "$E_RC"
t_check "the actors were killed at once, not at their timeout (they sleep 60 s)" test $((SECONDS - t0)) -lt 20
for m in "${!cause[@]}"; do
	check_hostile "$root" "p_$m" "${cause[$m]}"
	t_eq "p_$m: the kill is recorded" "failed|9" \
		"$(db "$root" "select status || '|' || signal from actor_runs where actor = 'p_$m'")"
done
t_eq "the good actor's message is intact" 1 "$(committed_count "$root" good)"
t_eq "the actor of the next stage saw only it" 1 \
	"$(db "$root" "select count(*) from logs l join actor_runs r on r.id = l.run where r.actor = 'good_after'
		and message = 'consumed 1 messages, sum 1'")"
no_leftovers "test-protocol"
t_done

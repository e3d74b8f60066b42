#!/bin/bash
# Scheduling: dependency order inside a stage, parallelism with --jobs, and the same messages
# in the same order whatever the parallelism.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-engine.sh"

build_root() {
	local root=$1
	# three independent producers with different speeds, two consumers, one in a later stage
	mk_actor "$root" p_slow FactsCollection sleep "" TestValue "" "" 
	sed -i 's/ms: {type: integer, default: 100}/ms: {type: integer, default: 300}/' "$root/etc/leapp/repos.d/test/actors/p_slow/actor.yaml"
	mk_actor "$root" p_fast FactsCollection chain "" TestValue
	mk_actor "$root" p_mid FactsCollection sleep "" TestValue
	sed -i 's/count: {type: integer, default: 1}/count: {type: integer, default: 5}/' "$root/etc/leapp/repos.d/test/actors/p_mid/actor.yaml"
	mk_actor "$root" c_all FactsCollection chain TestValue TestValue "stage: after"
	mk_actor "$root" z_next Checks chain TestValue TestValue
}

dump() {
	db "$1" "select m.model || ' ' || m.producer || ' ' || m.okey || ' ' || m.hash from messages m join actor_runs r on r.id = m.run where r.committed = 1 order by m.okey"
}

r1=$(mk_root); build_root "$r1"
r4=$(mk_root); build_root "$r4"
t0=$(date +%s%N)
leapp_run "$r1" preupgrade --jobs 1
t1=$(date +%s%N)
t_eq "--jobs 1 succeeds" 0 "$E_RC"
leapp_run "$r4" preupgrade --jobs 4
t2=$(date +%s%N)
t_eq "--jobs 4 succeeds" 0 "$E_RC"
t_eq "the same messages in the same order at --jobs 1 and --jobs 4" "$(dump "$r1")" "$(dump "$r4")"
n=$(dump "$r1" | wc -l)
t_eq "all messages are there (1+1+5 producers, 1 after, 1 next phase)" 9 "$n"
# c_all consumed all seven producer messages: its n is the sum of theirs + 1, identical in both
t_eq "the consumer saw the same input" "$(db "$r1" "select hash from messages where producer='c_all'")" "$(db "$r4" "select hash from messages where producer='c_all'")"
# parallelism: the 300 ms and 100 ms sleepers overlap with --jobs 4
s1=$(( (t1 - t0) / 1000000 )); s4=$(( (t2 - t1) / 1000000 ))
[ "$s4" -lt "$s1" ] && t_ok "--jobs 4 runs independent actors in parallel (${s4} ms vs ${s1} ms)" || t_fail "parallel" "$s4 vs $s1"
overlap=$(db "$r4" "select count(*) from actor_runs a join actor_runs b on a.id < b.id where a.actor in ('p_slow','p_mid','p_fast') and b.actor in ('p_slow','p_mid','p_fast') and a.started < b.ended and b.started < a.ended")
[ "$overlap" -ge 1 ] && t_ok "producers ran at the same time with --jobs 4" || t_fail "overlap" "$overlap"
overlap=$(db "$r1" "select count(*) from actor_runs a join actor_runs b on a.id < b.id where a.started < b.ended and b.started < a.ended")
t_eq "nothing overlaps with --jobs 1" 0 "$overlap"
# dependency order: the consumer starts after every producer ended
late=$(db "$r4" "select count(*) from actor_runs p, actor_runs c where c.actor='c_all' and p.actor like 'p_%' and p.ended > c.started")
t_eq "a consumer starts after its producers" 0 "$late"
# positions are a topological order
t_eq "positions" "p_fast p_mid p_slow" "$(db "$r1" "select group_concat(actor, ' ') from (select actor from actor_runs where phase='FactsCollection' and stage=1 order by position)")"
t_done

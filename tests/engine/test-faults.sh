#!/bin/bash
# Hostile and broken actors: each failure is one error entry naming the actor and the cause,
# the run finishes, and every other actor's messages are intact.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-engine.sh"

root=$(mk_root)
mk_actor "$root" good1 FactsCollection chain "" TestValue
mk_actor "$root" good2 FactsCollection chain TestValue TestValue
mk_actor "$root" good3 Checks chain TestValue TestValue
declare -A cause=(
	[segfault]="was killed by signal 11 (SIGSEGV"
	[exit3]="exited with code 3"
	[hang]="timed out after 1 s"
	[garbage]="sent bytes that are not a msgpack frame"
	[bigframe]="sent a frame larger than the limit of 16777216 bytes"
	[closefd]="closed its channel (fd 3) without finishing"
	[undeclared]="produced model 'TestUndeclared', which its manifest does not declare"
	[invalid]="produced an invalid TestValue message: field 'n': expected integer, got string"
)
for m in "${!cause[@]}"; do
	extra=""
	[ "$m" = hang ] && extra="timeout: 1"
	mk_actor "$root" "h_$m" FactsCollection "$m" "" TestValue "$extra"
done
mk_actor "$root" logflood FactsCollection logflood "" TestValue
mk_actor "$root" stdoutflood FactsCollection stdoutflood "" TestValue

leapp_run "$root" preupgrade --jobs 3
t_eq "a failed actor makes the run exit 1" 1 "$E_RC"
for m in "${!cause[@]}"; do
	n=$(db "$root" "select count(*) from report_entries where title like 'Actor h_$m failed:%'")
	t_eq "h_$m: exactly one error entry" 1 "$n"
	title=$(db "$root" "select title from report_entries where title like 'Actor h_$m failed:%'")
	case "$title" in
		*"${cause[$m]}"*) t_ok "h_$m: the entry names the cause" ;;
		*) t_fail "h_$m: the entry names the cause" "title: $title" "expected: ${cause[$m]}" ;;
	esac
	grep -q "\"actor\": \"h_$m\"" "$root/var/log/leapp/leapp-report.json" && t_ok "h_$m: the report names the actor" ||
		t_fail "h_$m: the report names the actor"
	t_eq "h_$m: its messages are not visible" 0 "$(db "$root" "select count(*) from messages m join actor_runs r on r.id=m.run where r.actor='h_$m' and r.committed=1")"
done
summary=$(db "$root" "select entry from report_entries where title like 'Actor h_segfault%'")
case "$summary" in *"Last lines it logged"*"about to crash"*) t_ok "the error entry carries the last log lines" ;;
	*) t_fail "the error entry carries the last log lines" "$summary" ;; esac
case "$summary" in *"phase FactsCollection"*) t_ok "the error entry names the phase" ;;
	*) t_fail "the error entry names the phase" "$summary" ;; esac
for a in good1 good2 logflood stdoutflood; do
	t_eq "$a committed" "ok|1" "$(db "$root" "select status || '|' || committed from actor_runs where actor='$a'")"
	t_eq "$a: its message is stored once" 1 "$(db "$root" "select count(*) from messages m join actor_runs r on r.id=m.run where r.actor='$a'")"
done
# good2 consumed good1's message, logflood's and stdoutflood's (n = sum + 1 of what it saw)
t_eq "the consumer saw exactly the committed producers" 4 \
	"$(db "$root" "select count(*) from messages m join actor_runs r on r.id=m.run where r.committed=1")"
# FactsCollection is fail-phase: Checks never ran
t_eq "fail-phase stops before the next phase" 0 "$(db "$root" "select count(*) from actor_runs where actor='good3'")"
# logs are capped, and the cap is said
bytes=$(db "$root" "select sum(length(message)) from logs l join actor_runs r on r.id=l.run where r.actor='logflood'")
[ "$bytes" -le $((1100 * 1024)) ] && t_ok "10 MB of log lines are capped per actor ($bytes bytes stored)" || t_fail "logs capped" "$bytes"
bytes=$(db "$root" "select sum(length(message)) from logs l join actor_runs r on r.id=l.run where r.actor='stdoutflood'")
[ "$bytes" -le $((1100 * 1024)) ] && t_ok "10 MB of stdout is capped per actor ($bytes bytes stored)" || t_fail "stdout capped" "$bytes"
t_check "the store passes integrity_check" test "$(db "$root" "pragma integrity_check")" = ok
# no actor process is left behind
# (only this test's: other runs may use the same binary; an actor's environment names its root)
left=0
for p in $(pgrep -f "$T_BUILD/tests/testactor"); do
	tr '\0' '\n' <"/proc/$p/environ" 2>/dev/null | grep -qx "LEAPP_ROOT=$root" || continue
	t_pid_dead "$p" || left=$((left + 1))
done
t_eq "no actor process is left" 0 "$left"
t_done

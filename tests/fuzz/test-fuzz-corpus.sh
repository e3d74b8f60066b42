#!/bin/bash
# Replays the fuzz corpus of every parser target (tests/fuzz/corpus/<target>/, crashes found
# kept there as regression inputs) through its target (under ASan in SAN builds).
. "$(dirname "$0")/../lib.sh"
for t in frame yaml json ini answerfile actorconf pes repomap upgradepaths gpgsigs repomd metalink mirrorlist fstab; do
	n=$(ls "$T_TOP/tests/fuzz/corpus/$t" | wc -l)
	out=$(timeout 300 "$T_BUILD/tests/fuzz-replay-$t" "$T_TOP/tests/fuzz/corpus/$t" 2>&1)
	rc=$?
	[ $rc -eq 0 ] && t_ok "fuzz corpus $t ($n inputs): $out" || t_fail "fuzz corpus $t" "$(echo "$out" | tail -20)"
	[ "$n" -ge 50 ] && t_ok "fuzz corpus $t has at least 50 inputs" || t_fail "fuzz corpus $t has $n inputs, fewer than 50"
done
t_done

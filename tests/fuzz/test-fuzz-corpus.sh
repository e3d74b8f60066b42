#!/bin/bash
# Replays the fuzz regression corpus through every parser target (under ASan in SAN builds).
. "$(dirname "$0")/../lib.sh"
for t in frame yaml json ini; do
	out=$("$T_BUILD/tests/fuzz-replay-$t" "$T_TOP/tests/fuzz/corpus/$t" 2>&1)
	rc=$?
	[ $rc -eq 0 ] && t_ok "fuzz corpus $t: $out" || t_fail "fuzz corpus $t" "$out"
done
t_done

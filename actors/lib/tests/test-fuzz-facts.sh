#!/bin/bash
# Replays the fuzz corpus of actors/lib's parsers (grubenv, BLS, sshd_config, os-release,
# mountinfo) through their fuzz target (under ASan in SAN builds).
. "$(dirname "$0")/../../../tests/lib.sh"
out=$("$T_BUILD/tests/fuzz-replay-facts" "$T_TOP/actors/lib/tests/corpus/facts" 2>&1)
rc=$?
[ $rc -eq 0 ] && t_ok "fuzz corpus facts: $out" || t_fail "fuzz corpus facts" "$out"
n=$(ls "$T_TOP/actors/lib/tests/corpus/facts" | wc -l)
[ "$n" -ge 50 ] && t_ok "fuzz corpus facts has at least 50 inputs ($n)" || t_fail "fuzz corpus facts has $n inputs, fewer than 50"
t_done

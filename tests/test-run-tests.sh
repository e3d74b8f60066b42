#!/bin/bash
# tests/run-tests itself: a test file that runs no check fails, so does one that leaves files in
# its TMPDIR, and each test's TMPDIR is its own and removed (issue 15 items 5 and 7).
. "$(dirname "$0")/lib.sh"

d=$(t_tmpdir)
mkdir -p "$d/tests/x" "$d/build"
cp "$T_TOP/tests/run-tests" "$T_TOP/tests/lib.sh" "$d/tests/"
cat >"$d/tests/x/test-good.sh" <<'T'
. "$(dirname "$0")/../lib.sh"
t_ok "fine"
t_done
T
cat >"$d/tests/x/test-nocheck.sh" <<'T'
. "$(dirname "$0")/../lib.sh"
echo "this file checks nothing"
T
cat >"$d/tests/x/test-nocheck-done.sh" <<'T'
. "$(dirname "$0")/../lib.sh"
t_done
T
cat >"$d/tests/x/test-litter.sh" <<'T'
. "$(dirname "$0")/../lib.sh"
mktemp -d "${TMPDIR:-/tmp}/leapp-litter.XXXXXX" >/dev/null
t_ok "did its check"
t_done
T
out=$(T_BUILD=$d/build "$d/tests/run-tests" 2>&1); rc=$?
t_eq "run-tests fails when a test file fails" 1 "$rc"
t_check "a good file passes" grep -q '^PASS tests/x/test-good.sh' <<<"$out"
t_check "a file that runs no check fails" grep -q '^FAIL tests/x/test-nocheck.sh' <<<"$out"
t_check "... and says why" grep -q 'not ok - the test file ran no check' <<<"$out"
t_check "a file that calls t_done without a check fails" grep -q '^FAIL tests/x/test-nocheck-done.sh' <<<"$out"
t_check "a file that leaves files in its TMPDIR fails" grep -q '^FAIL tests/x/test-litter.sh' <<<"$out"
t_check "... and names them" grep -q 'left files in its TMPDIR: leapp-litter' <<<"$out"
t_eq "the per-run TMPDIRs are gone" "" "$(ls -d "$d"/build/test-tmp.* 2>/dev/null)"
t_done

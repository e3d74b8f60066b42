#!/bin/bash
# check_kpatch: kpatch-patch packages and loaded live patches (sys/kernel/livepatch under the
# root) are named; kpatch-dnf is mentioned; none: nothing.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
R=$F_DIR/root
mkdir -p "$R"
rpm_json() { local s="" sep="" n; for n in "$@"; do s="$s$sep{\"name\":\"$n\",\"version\":\"1\",\"release\":\"2.el8\",\"arch\":\"x86_64\"}"; sep=","; done; printf '{"items":[%s]}' "$s"; }
run() { mk_input "$F_DIR/in.json" "$(ipu 8.10 9.6)" InstalledRPM "$(rpm_json "$@")"; run_actor check_kpatch "$R" "$F_DIR/in.json"; }
T="Kernel live patches will not apply to the new kernel"
run bash kpatch kpatch-patch-4_18_0-553
t_eq "a kpatch-patch package: reported" "$T|medium" "$(printf '%s' "$A_OUT" | jq -r '.reports[] | "\(.title)|\(.severity)"')"
t_check "it is named" grep -q -- "- kpatch-patch-4_18_0-553-1-2.el8" <<<"$(printf '%s' "$A_OUT" | jq -r '.reports[0].summary')"
mkdir -p "$R/sys/kernel/livepatch/kpatch_4_18_0_553_1_1"
run bash kpatch kpatch-dnf
S=$(printf '%s' "$A_OUT" | jq -r '.reports[0].summary')
t_check "a loaded live patch is named" grep -q -- "- kpatch_4_18_0_553_1_1" <<<"$S"
t_check "kpatch-dnf is mentioned" grep -q "kpatch-dnf plugin is installed" <<<"$S"
rm -r "$R/sys"
run bash kpatch
t_eq "no live patches: nothing" 0 "$(printf '%s' "$A_OUT" | jq '.reports | length')"
t_done

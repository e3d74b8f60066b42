#!/bin/bash
# Dialogs with each of leapp's components (text, number, bool, choice, multiple_choice, and
# one with a default): the answerfile layout, one inhibitor per required unanswered question
# with its `leapp answer` command, answers checked against the component by `leapp answer`,
# typed answers delivered to the actor, and answers edited into the answerfile itself.
. "$(dirname "$0")/../lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"

f_tmpdir
R=$F_DIR/root
mkdir -p "$R/etc/leapp/repos.d/t/actors/dialog_components" "$R/empty"
cat >"$R/etc/leapp/repos.d/t/actors/dialog_components/actor.yaml" <<EOF
name: dialog_components
description: asks one question of each component
phase: Checks
exec: $T_BUILD/tests/dialogactor
consumes: []
produces: []
EOF
export LEAPP_ACTORS_DIR=$R/empty
L=$R/var/log/leapp
answer() { "$T_LEAPP" answer --root "$R" --section "$1" >/dev/null 2>&1; }

OUT=$("$T_LEAPP" preupgrade --root "$R" 2>&1); RC=$?
t_eq "unanswered: exit 3" 3 "$RC"
t_eq "one inhibitor per required question (not the one with a default)" \
	"dialog_components.colour=red dialog_components.count=0 dialog_components.name=VALUE dialog_components.ok=True dialog_components.sizes=s" \
	"$(jq -r '[.entries[] | select(.groups | index("inhibitor")) | .detail.remediations[] | select(.type == "command") | .context[3]] | sort | join(" ")' "$L/leapp-report.json")"
AF=$L/answerfile
for k in name count ok colour sizes note; do
	t_check "answerfile: block for $k" grep -q "^# =* dialog_components.$k =*$" "$AF"
	t_check "answerfile: commented answer line for $k" grep -qx "# $k = " "$AF"
done
t_check "answerfile: choice lists its choices" grep -qx "# Available choices: red/green/blue" "$AF"
t_check "answerfile: multiple choice lists its choices" grep -qx "# Available choices: s/m/l" "$AF"
t_check "answerfile: the default is shown" grep -q "^# Default: *none$" "$AF"
t_check "answerfile: types" grep -q "^# Type: *multiple_choice$" "$AF"

answer dialog_components.colour=purple
t_eq "leapp answer refuses a value outside the choices (exit 2)" 2 "$?"
answer dialog_components.count=abc
t_eq "leapp answer refuses a non-number (exit 2)" 2 "$?"
answer "dialog_components.name=Jane Doe"
answer dialog_components.count=42
answer dialog_components.ok=False
answer dialog_components.colour=green
OUT=$("$T_LEAPP" preupgrade --root "$R" 2>&1); RC=$?
t_eq "one question left: still inhibited" "3 dialog_components.sizes=s" \
	"$RC $(jq -r '[.entries[] | select(.groups | index("inhibitor")) | .detail.remediations[] | select(.type == "command") | .context[3]] | join(" ")' "$L/leapp-report.json")"
# the last one answered by editing the generated answerfile, as its header says
sed -i 's/^# sizes = $/sizes = s, l/' "$AF"
OUT=$("$T_LEAPP" preupgrade --root "$R" 2>&1); RC=$?
t_eq "all answered: exit 0" 0 "$RC"
t_eq "typed answers reach the actor" '{"colour":"green","count":42,"name":"Jane Doe","note":"none","ok":false,"sizes":["s","l"]}' \
	"$(jq -r '.entries[] | select(.key == "dialog-answers") | .summary' "$L/leapp-report.json")"
t_done

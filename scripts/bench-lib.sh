# Shared by the scripts/bench-* benchmarks: each figure a benchmark claims is also recorded as
# one JSON line in $BENCH_FIGURES (when set), so that scripts/bench-table can print every
# figure beside its comparison and goal, and keep them as JSON for later runs to compare.

# bench_figure NAME VALUE UNIT [CMP-NAME CMP-VALUE] [GOAL-EXPR GOAL-TEXT]
#   VALUE, CMP-VALUE: numbers in UNIT, measured in the same run;
#   GOAL-EXPR: an awk expression over v (the value) and c (the comparison), e.g. "v <= 0.3",
#   "c / v >= 3"; GOAL-TEXT: the goal in words ("<= 0.3 ms", ">= 3x dnf").
bench_figure() {
	[ -n "${BENCH_FIGURES:-}" ] || return 0
	local name=$1 v=$2 unit=$3 cname=${4:-} c=${5:-} gexpr=${6:-} gtext=${7:-} met=null
	if [ -n "$gexpr" ]; then
		met=$(awk -v v="$v" -v c="${c:-0}" "BEGIN { print (($gexpr) ? \"true\" : \"false\") }")
	fi
	jq -cn --arg bench "$(basename "$0")" --arg name "$name" --arg v "$v" --arg unit "$unit" \
		--arg cname "$cname" --arg c "$c" --arg goal "$gtext" --argjson met "$met" \
		'{bench: $bench, name: $name, value: ($v | tonumber), unit: $unit,
		  comparison: (if $cname == "" then null else {name: $cname, value: ($c | tonumber)} end),
		  goal: (if $goal == "" then null else $goal end), met: $met}' >>"$BENCH_FIGURES"
}

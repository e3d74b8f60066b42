#!/bin/bash
# The unsatisfiable-dependency system: preupgrade is inhibited, the inhibitor quotes libsolv's
# explanation and names the package and the missing dependency, and no plan is written.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-plan.sh"

p_init
p_sysroot inhibit-unsatdep u || { t_fail "mksysroot inhibit-unsatdep"; t_done; exit 1; }
# a plan of an earlier run must not survive a failed one
mkdir -p "$P_DIR/u/root/var/log/leapp"
echo '{"transaction": []}' >"$(p_plan u)"
p_preupgrade_all u
t_eq "preupgrade is inhibited (exit 3)" 3 "$P_RC" || p_show u
t_eq "the inhibitor" "${K_UNSATISFIED_DEPENDENCY}" "$(p_inhibitors u)"
summary=$(p_entry u ${K_UNSATISFIED_DEPENDENCY} .summary)
t_check "libsolv's explanation is quoted" grep -q "nothing provides libgone.so.1()(64bit) needed by legacy-utils-1.3-1.el9.x86_64" <<<"$summary"
t_check "the rules involved are listed" grep -q "legacy-utils-1.2-4.el8.x86_64 does not belong to a distupgrade repository" <<<"$summary"
t_eq "the package is a related resource" "legacy-utils" \
	"$(p_entry u ${K_UNSATISFIED_DEPENDENCY} '[.detail.related_resources[] | select(.scheme == "package") | .title] | join(" ")')"
t_check "libsolv's solutions are offered as a hint" grep -q "allow deinstallation of legacy-utils" \
	<<<"$(p_entry u ${K_UNSATISFIED_DEPENDENCY} '[.detail.remediations[].context] | join(" ")')"
t_check "no transaction.json (and the old one is gone)" test ! -e "$(p_plan u)"
t_check "the console names the inhibitor" grep -q "The upgrade transaction cannot be solved" "$P_DIR/u.out"
t_done

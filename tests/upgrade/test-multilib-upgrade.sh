#!/bin/bash
# Multilib (issue 17): scripts/sysroot/specs/multilib.yaml has glibc, libgcc and libstdc++ in
# x86_64 and i686, and a third-party 32-bit library (acme-lib32.i686) with no target build. The
# twins are planned together (an upgrade item for each arch), downloaded, tested and upgraded
# together; the 32-bit package without a target build is named in the report and stays; the
# rpmdb ends with exactly the expected packages, each twin at its el9 build in both arches.
# (The dracut and boot-entry actors are left out: test-demo-upgrade.sh runs them.)
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-upgrade.sh"

u_init
u_actors_noboot
u_sysroot multilib ml || { t_fail "mksysroot multilib"; t_done; exit 1; }
R=$(u_root ml)
TWINS="glibc libgcc libstdc++"
arches() { u_rpm ml -q --qf '%{ARCH}:%{RELEASE}\n' "$1" | sed 's/\.el\([0-9]\).*/.el\1/;s/:[^.]*\./:/' | sort | tr '\n' ' ' | sed 's/ $//'; }
for n in $TWINS; do
	t_eq "before: $n is installed in both arches (el8)" "i686:el8 x86_64:el8" "$(arches "$n")"
done

u_leapp ml preupgrade
t_eq "preupgrade exits 0" 0 "$U_RC" || u_show ml
REP=$R/var/log/leapp/leapp-report.json
t_eq "the report names the 32-bit package without a target build" "medium acme-lib32-2.4.0-1.i686" \
	"$(jq -r '.entries[] | select(.title == "32-bit packages without a build for the target release") |
		"\(.severity) \(.summary | capture("\n- (?<p>[^\n]+)").p)"' "$REP")"
plan=$R/var/log/leapp/transaction.json
for n in $TWINS; do
	t_eq "the plan upgrades both arches of $n" "i686 upgrade|x86_64 upgrade" \
		"$(jq -r --arg n "$n" '[.transaction[] | select(.name == $n) | "\(.arch) \(.action)"] | sort | join("|")' "$plan")"
done

u_leapp ml upgrade
t_eq "upgrade exits 0 (the reboot is next)" 0 "$U_RC" || u_show ml
u_probe ml
t_eq "the i686 builds were downloaded" 3 "$(u_msg ml DownloadedPackages '[.packages[] | select(.arch == "i686")] | length')"
t_eq "the transaction test passed, twins included" passed "$(u_msg ml TransactionTestResult .status)"

u_leapp ml upgrade --resume
t_eq "the interim resume exits 0" 0 "$U_RC" || u_show ml
u_leapp ml upgrade --resume
t_eq "the first-boot resume exits 0" 0 "$U_RC" || u_show ml
for n in $TWINS; do
	t_eq "after: $n is installed in both arches, at its el9 build" "i686:el9 x86_64:el9" "$(arches "$n")"
done
t_eq "after: the 32-bit third-party library stays" "acme-lib32-2.4.0-1.i686" "$(u_rpm ml -q acme-lib32)"
t_eq "the rpmdb holds exactly the expected packages" "$(u_expected ml)" "$(u_names ml)"
t_eq "only the kernels are installed twice in one arch" "kernel kernel-core kernel-modules" "$(u_twice ml)"
t_eq "no el8 package is left but the kernel" "" "$(u_old ml)"
t_check "rpm's dependency check passes" u_rpm ml -Va --nofiles --nodigest
t_done

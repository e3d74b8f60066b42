#!/bin/bash
# The librpm test transaction: the `fileconflict` spec is inhibited with both package names and
# the file; a filesystem too small for the upgrade is named with the space it lacks; failed
# dependencies and a transaction that would differ from the plan are named (rpm_transaction_test
# run sandboxed on altered input); nothing of the tree changes.
. "$(dirname "$0")/../lib.sh"
. "$T_TOP/tests/download/lib-download.sh"

d_init

# --- two target packages own one file with different content
d_sysroot fileconflict fc || { t_fail "mksysroot fileconflict"; t_done; exit 1; }
R=$(d_root fc)
h0=$(tree_hash "$R")
file=$(jq -r '.expected.file_conflict.file' "$D_DIR/fc/manifest.json")
d_leapp fc upgrade
t_eq "fileconflict: inhibited (exit 3)" 3 "$D_RC" || d_show fc
t_eq "fileconflict: the file conflict inhibitor" "${K_RPM_FILE_CONFLICT}" "$(d_inhibitors fc)"
s=$(d_entry fc ${K_RPM_FILE_CONFLICT} .summary)
t_check "it names the file and both packages" \
	grep -q "file $file: conf-a-2.0-1.el9.x86_64 and conf-b-2.0-1.el9.x86_64" <<<"$s"
d_probe fc
t_eq "TransactionTestResult: failed, one file-conflict with both names" \
	"failed file-conflict $file conf-a,conf-b" \
	"$(d_msgr fc TransactionTestResult '"\(.status) \([.problems[] | "\(.kind) \(.file) \(.packages | sort | join(","))"] | join(";"))"')"
t_eq "the test ran on a copy of el8's BerkeleyDB rpmdb rebuilt in sqlite, as the interim will" "bdb sqlite" \
	"$(d_msgr fc TransactionTestResult '"\(.rpmdb_format) \(.tested_format)"')"
t_check "the workflow stopped after Download" test ! -e "$R/var/lib/leapp/el9userspace"
t_eq "the tree is unchanged" "$h0" "$(tree_hash "$R")"

# --- the demo, a normal run first (its messages feed the altered inputs below)
d_sysroot demo demo || { t_fail "mksysroot demo"; t_done; exit 1; }
R=$(d_root demo)
d_leapp demo upgrade
t_eq "demo: upgrade exits 0" 0 "$D_RC" || d_show demo
d_probe demo
P=$R/var/lib/leapp/scratch/test_probe
mk_in() { # FILE PLAN-JQ DOWNLOADED-JQ
	jq -n --slurpfile p "$P/PlannedTransaction.json" --slurpfile d "$P/DownloadedPackages.json" \
		"{messages: [{model: \"PlannedTransaction\", data: (\$p[0] | last | $2)},
		             {model: \"DownloadedPackages\", data: (\$d[0] | last | $3)}]}" >"$1"
}
out() { jq -r "$1" "$D_DIR/demo.actor.json"; }
h1=$(tree_hash "$R")

mk_in "$D_DIR/in-ok.json" . .
d_actor demo rpm_transaction_test --input "$D_DIR/in-ok.json"
t_eq "the demo plan passes librpm's test" "0 passed" "$D_RC $(out '.messages[0].data.status')"
t_eq "with every install and the erasures" \
	"$(d_msg demo DownloadedPackages '.packages | length')" "$(out '.messages[0].data.installs')"
t_check "erasures are counted (upgrades replace packages)" test "$(out '.messages[0].data.erasures')" -gt 20

# failed dependencies: compat-openssl11 (libssl.so.1.1 for the kept acme-agent) left out
mk_in "$D_DIR/in-deps.json" . '.packages |= map(select(.name != "compat-openssl11"))'
d_actor demo rpm_transaction_test --input "$D_DIR/in-deps.json"
t_eq "a missing dependency: the actor succeeds and inhibits" "0 ${K_RPM_DEPENDENCIES}" \
	"$D_RC $(out '[.reports[] | select(.groups | index("inhibitor")) | .key] | join(" ")')"
t_check "the inhibitor names the requirement and the package" \
	grep -q "libssl.so.1.1()(64bit) is needed by (installed) acme-agent-3.2.1-1.x86_64" <<<"$(out '.reports[0].summary')"
t_eq "the problem: requires, the dependency, who needs it, what breaks it" \
	"requires libssl.so.1.1()(64bit) acme-agent-3.2.1-1.x86_64 openssl-libs,acme-agent" \
	"$(out '.messages[0].data.problems[] | select(.kind == "requires") | "\(.kind) \(.dependency) \(.other) \(.packages | join(","))"' | sort -u | head -1)"
t_eq "and it asks to stop after the phase" "stop-after-phase" "$(out '.commands[0].command')"

# a plan that keeps what rpm would erase (the Obsoletes: of libmemcached-awesome), and a
# removal of a package that is not installed
mk_in "$D_DIR/in-mismatch.json" \
	'.items |= (map(select(.action != "obsolete")) | map(if .name == "libmemcached-awesome" then .from = null else . end)) |
	 .items += [{action: "remove", name: "not-installed", epoch: 0, version: "1", release: "1", arch: "noarch", repo: "@System", reason: "test"}]' .
d_actor demo rpm_transaction_test --input "$D_DIR/in-mismatch.json"
t_eq "a transaction that differs from the plan: inhibited" "0 ${K_RPM_PLAN_MISMATCH}" \
	"$D_RC $(out '[.reports[] | select(.groups | index("inhibitor")) | .key] | join(" ")')"
s=$(out '.reports[0].summary')
t_check "rpm would erase the obsoleted package, which the plan keeps" \
	grep -q "rpm would also erase libmemcached-libs-1.0.18-17.el8.x86_64, which the plan keeps" <<<"$s"
t_check "the plan removes what is not installed" grep -q "the plan removes not-installed-1-1.noarch, which is not installed" <<<"$s"
t_eq "the tree is unchanged by all of it" "$h1" "$(tree_hash "$R")"

# --- disk space: a filesystem too small for the target kernel's modules
mods=$R/usr/lib/modules
cp -a "$mods" "$D_DIR/modules.copy"
mount -t tmpfs -o size=8m tmpfs "$mods"
cp -a "$D_DIR/modules.copy/." "$mods/"
d_leapp demo upgrade
t_eq "a full filesystem: inhibited (exit 3)" 3 "$D_RC" || d_show demo
SPACE_T='There is not enough space on some file systems to perform the upgrade transaction.'
t_eq "one disk space inhibitor, upstream's title" "$SPACE_T" \
	"$(jq -r '[.entries[] | select(.groups | index("inhibitor")) | .title] | join("|")' "$R/var/log/leapp/leapp-report.json")"
space=$(jq -r --arg t "$SPACE_T" '.entries[] | select(.title == $t) | .summary' "$R/var/log/leapp/leapp-report.json")
t_check "it names the mount point with needed, free and missing MiB" \
	grep -qE "^    - /(usr/)?lib/modules: needs [0-9.]+ MiB, [0-9.]+ MiB free, [0-9.]+ MiB more needed$" <<<"$space"
line=$(grep -E "^    - /(usr/)?lib/modules: " <<<"$space")
need=$(sed -E 's/.*needs ([0-9.]+) MiB.*/\1/' <<<"$line"); free=$(sed -E 's/.*, ([0-9.]+) MiB free.*/\1/' <<<"$line")
more=$(sed -E 's/.*free, ([0-9.]+) MiB more.*/\1/' <<<"$line")
t_check "needed = free + missing, free is the tmpfs's free space (nothing counted twice)" \
	python3 -c "import sys; n,f,m,real=map(float,sys.argv[1:]); assert abs(n-(f+m))<0.2 and abs(f-real)<0.2, (n,f,m,real)" \
	"$need" "$free" "$more" "$(df -B1 --output=avail "$mods" | tail -1 | awk '{printf "%.1f", $1/1048576}')"
t_eq "the mount point once" 1 "$(grep -cE "^    - /(usr/)?lib/modules: " <<<"$space")"
d_probe demo
t_check "TransactionTestResult has disk-space problems with the bytes needed" \
	test "$(d_msg demo TransactionTestResult '[.problems[] | select(.kind == "disk-space" and .needed > 1000000)] | length')" -gt 0
umount "$mods"
t_done

#!/bin/bash
# Acceptance on the demo system: `leapp preupgrade` downloads nothing; `leapp upgrade` fetches
# every package of the plan into /var/lib/leapp/packages (verified: checksum, signature),
# passes the librpm transaction test, builds the target userspace with its own rpmdb and the
# target kernel, asks for the reboot, and leaves the --root tree byte-identical outside
# leapp's own directories (the rpmdb and its side files included). A second run uses the
# cache; a damaged cached file is fetched again.
. "$(dirname "$0")/../lib.sh"
. "$T_TOP/tests/download/lib-download.sh"

d_init
d_sysroot demo demo || { t_fail "mksysroot demo"; t_done; exit 1; }
R=$(d_root demo)
CACHE=$R/var/lib/leapp/packages
US=$R/var/lib/leapp/el9userspace
h0=$(tree_hash "$R")
rpmdb0=$(cd "$R/var/lib/rpm" && ls -A && sha256sum -- * .[!.]* 2>/dev/null)

# preupgrade: the plan and the keys, nothing downloaded
d_leapp demo preupgrade
t_eq "preupgrade exits 0" 0 "$D_RC"
t_check "preupgrade downloads nothing" test ! -e "$CACHE"
t_check "preupgrade makes no target userspace" test ! -e "$US"
d_probe demo
t_eq "preupgrade: TargetGpgKeys trusts the vendor key (rpmdb and the repositories' gpgkey=)" \
	"c079a104099cbde2 rpmdb almalinux9-appstream,almalinux9-baseos,almalinux9-crb,almalinux9-extras" \
	"$(d_msgr demo TargetGpgKeys '.trusted[] | select(.key_id == "c079a104099cbde2") | "\(.key_id) \(.source) \(.repos | sort | join(","))"')"
t_eq "preupgrade: nothing to import, nothing obsoleted" "0 0" "$(d_msgr demo TargetGpgKeys '"\(.to_import | length) \(.to_remove | length)"')"
t_eq "preupgrade: no DownloadedPackages" "null" "$(d_msg demo DownloadedPackages '.')"

# upgrade: Download and InterimPreparation, then the reboot request
d_leapp demo upgrade --json-progress
t_eq "upgrade exits 0 (reboot requested)" 0 "$D_RC" || d_show demo
t_check "the reboot is requested" grep -q '"reboot-requested"' "$D_DIR/demo.out"
t_eq "the tree is byte-identical outside leapp's directories" "$h0" "$(tree_hash "$R")"
t_eq "the rpmdb (el8's BerkeleyDB) untouched, no environment files created" "$rpmdb0" \
	"$(cd "$R/var/lib/rpm" && ls -A && sha256sum -- * .[!.]* 2>/dev/null)"
d_probe demo
plan=$R/var/log/leapp/transaction.json
want=$(jq '[.transaction[] | select(.action == "install" or .action == "upgrade" or .action == "downgrade")] | length' "$plan")
t_eq "every install/upgrade/downgrade of the plan is downloaded" "$want" "$(d_msg demo DownloadedPackages '.packages | length')"
t_eq "all fetched in this run" "$want 0" "$(d_msgr demo DownloadedPackages '"\(.downloaded) \(.cached)"')"
t_eq "every package's signature is ok, by the vendor key" "ok c079a104099cbde2" \
	"$(d_msgr demo DownloadedPackages '[.packages[] | "\(.signature) \(.key_id)"] | unique | join(";")')"
bad=0
while read -r path sum; do
	[ "$(d_sha256 "$path")" = "$sum" ] || bad=$((bad + 1))
done < <(d_msgr demo DownloadedPackages '.packages[] | "\(.path) \(.checksum)"')
t_eq "every cached file matches its repository checksum" 0 "$bad"
t_eq "files are under /var/lib/leapp/packages/<repoid>/<location>" "0" \
	"$(d_msgr demo DownloadedPackages '[.packages[] | select(.path_in_root != "/var/lib/leapp/packages/\(.repo)/\(.location)")] | length')"
t_eq "no partial file is left" "" "$(d_parts "$CACHE")"
t_check "download progress events with --json-progress" grep -q '"progress".*downloading packages' "$D_DIR/demo.out"
t_eq "the transaction test passed" "passed" "$(d_msgr demo TransactionTestResult '.status')"
t_eq "it tested the plan's installs" "$want" "$(d_msg demo TransactionTestResult '.installs')"
# its declared directory (bound into its sandbox, made by the broker) stays, empty
t_check "its rpmdb copy is gone" test -z "$(ls -A "$R/var/lib/leapp/transaction-test" 2>/dev/null)"

# the target userspace
t_eq "TargetUserSpaceInfo names el9userspace" "$US /var/lib/leapp/el9userspace 9" \
	"$(d_msgr demo TargetUserSpaceInfo '"\(.path) \(.path_in_root) \(.target_major)"')"
kver=$(jq -r '.kernel.target.kver' "$D_DIR/demo/manifest.json")
t_eq "its kernel is the target kernel (found under lib/modules)" "$kver" "$(d_msgr demo TargetUserSpaceInfo '.kernel_version')"
t_check "the kernel image is there" test -s "$US/lib/modules/$kver/vmlinuz"
us_rpms=$(rpm --root "$US" --dbpath /var/lib/rpm -qa --qf '%{NAME}\n' 2>/dev/null | sort | tr '\n' ' ')
for p in kernel-core bash rpm almalinux-release; do
	t_check "the userspace rpmdb has $p" grep -qw -- "$p" <<<"$us_rpms"
done
t_eq "its rpmdb lists what the message lists" "$(d_msgr demo TargetUserSpaceInfo '[.packages[].name] | sort | join(" ")') " "$us_rpms"
t_eq "the requests are recorded" "system-release bash rpm kernel-core" "$(d_msgr demo TargetUserSpaceInfo '.requested | join(" ")')"
t_eq "it has a shell" "true" "$(d_msg demo TargetUserSpaceInfo '.has_shell')"
t_check "scriptlets ran chrooted in it (rpm's %post)" test -s "$US/var/lib/rpm-state/mksysroot-post-ran"
t_check "no half-made userspace beside it" test ! -e "$US.new" -a ! -e "$US.old"

# a second run: everything from the cache; a damaged cached file is fetched again
victim=$(d_msgr demo DownloadedPackages '.packages[] | select(.name == "tzdata") | .path')
printf 'garbage' | dd of="$victim" bs=1 seek=100 conv=notrunc status=none
d_leapp demo upgrade
t_eq "second upgrade exits 0" 0 "$D_RC" || d_show demo
d_probe demo
t_eq "second run: one fetched again, the rest from the cache" "1 $((want - 1))" \
	"$(d_msgr demo DownloadedPackages '"\(.downloaded) \(.cached)"')"
t_eq "the damaged file is good again" "$(d_msgr demo DownloadedPackages '.packages[] | select(.name == "tzdata") | .checksum')" "$(d_sha256 "$victim")"
t_eq "still byte-identical" "$h0" "$(tree_hash "$R")"
t_done

#!/bin/bash
# The target repositories only over http (leapp_upgrade_repositories.repo with http:// baseurls
# and a mirrorlist): the metadata is fetched and verified into /var/lib/leapp/repo-metadata,
# the plan is made from it, and `leapp upgrade` downloads, tests and builds the userspace from
# the server alone.
. "$(dirname "$0")/../lib.sh"
. "$T_TOP/tests/download/lib-download.sh"

d_init
d_sysroot demo demo || { t_fail "mksysroot demo"; t_done; exit 1; }
R=$(d_root demo)
OUT=$D_DIR/demo
T_CLEANUP_HOOK='d_cleanup; "$T_TOP/scripts/sysroot/serve-repos" --stop "$OUT" >/dev/null 2>&1'
base=$("$T_TOP/scripts/sysroot/serve-repos" --daemon "$OUT")
t_check "serve-repos answers" test -n "$base"
repofile=$R/etc/leapp/files/leapp_upgrade_repositories.repo
# every baseurl over http; the AppStream repository through a mirrorlist only
sed -i "s|^baseurl=file://$OUT/repos/|baseurl=$base/|" "$repofile"
printf '# mirrors\n%s/almalinux9-appstream\n' "$base" >"$D_DIR/appstream.mirrors"
sed -i "/^\[almalinux9-appstream\]/,/^\[/{s|^baseurl=.*|mirrorlist=file://$D_DIR/appstream.mirrors|}" "$repofile"
if grep -q "file://$OUT/repos" "$repofile"; then t_fail "no file:// repository is left" "$(cat "$repofile")"; else t_ok "no file:// repository is left"; fi

d_leapp demo preupgrade
t_eq "preupgrade with http repositories exits 0" 0 "$D_RC" || d_show demo
md=$R/var/lib/leapp/repo-metadata
for r in almalinux9-baseos almalinux9-appstream; do
	t_check "$r: metadata fetched (repomd.xml and primary)" test -f "$md/$r/repodata/repomd.xml"
	t_check "$r: its primary file is there" sh -c "ls '$md/$r/repodata/' | grep -q primary"
done
d_probe demo
t_eq "the plan names the fetched metadata" "$md/almalinux9-baseos" \
	"$(d_msgr demo PlannedTransaction '.repos[] | select(.repoid == "almalinux9-baseos") | .metadata_path')"
t_eq "the plan upgrades packages" true "$(d_msgr demo PlannedTransaction '.counts.upgrade > 10')"

# a damaged copy is fetched again, never used
f=$(ls "$md/almalinux9-baseos/repodata/"*primary* | head -1)
echo garbage >"$f"
d_leapp demo upgrade
t_eq "upgrade over http reaches the reboot (exit 0)" 0 "$D_RC" || d_show demo
d_probe demo
t_eq "every package came from the server" true \
	"$(d_msgr demo DownloadedPackages '[.packages[] | select(.url != null) | .url | startswith("http://127.0.0.1")] | all')"
t_eq "the transaction test passed" passed "$(d_msgr demo TransactionTestResult '.status')"
t_check "the target userspace was built" test -d "$R/var/lib/leapp/el9userspace/var/lib/rpm"
t_check "the damaged metadata file was fetched again" sh -c "! grep -q garbage '$f' 2>/dev/null"

# the server gone: preupgrade stops with the repository and the URL named
"$T_TOP/scripts/sysroot/serve-repos" --stop "$OUT" >/dev/null 2>&1
rm -rf "$md"
d_leapp demo preupgrade
[ "$D_RC" -ne 0 ] && grep -q "almalinux9-baseos" "$D_DIR/demo.out" "$R/var/log/leapp/leapp-report.txt" &&
	grep -q "cannot fetch its metadata" "$R/var/log/leapp/leapp-report.txt" "$D_DIR/demo.out" &&
	t_ok "an unreachable repository stops the plan, naming it" || t_fail "unreachable repository" "$(d_show demo)"
t_done

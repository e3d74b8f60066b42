#!/bin/bash
# The demo system's plan (issue 7 acceptance): every distribution package upgraded; the split,
# removal, rename, move and obsolete applied; third-party packages kept; the target kernel
# installed beside the old one; a reason for every item; download data from the repo
# metadata; and nothing under --root changed except leapp's own directories.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-plan.sh"

p_init
p_sysroot demo demo || { t_fail "mksysroot demo"; t_done; exit 1; }
M=$P_DIR/demo/manifest.json
# leapp creates its own directories; made first so that their parents' mtimes stay as they are
mkdir -p "$P_DIR/demo/root/var/lib/leapp" "$P_DIR/demo/root/var/log/leapp"
touch -d @"$(jq -r .source_date_epoch "$M")" "$P_DIR/demo/root/var/lib" "$P_DIR/demo/root/var/log"
before=$(p_treesum demo)
p_preupgrade_all demo
t_eq "preupgrade (every actor) succeeds without inhibitors" 0 "$P_RC" || p_show demo
after=$(p_treesum demo)
if [ "$before" = "$after" ]; then t_ok "the tree under --root is unchanged (rpmdb side files included)"
else t_fail "the tree under --root is unchanged" "$(diff <(echo "$before") <(echo "$after") | head -10)"; fi
T=$(p_plan demo)
t_check "transaction.json written" test -s "$T"
t_eq "no inhibitor" "" "$(p_inhibitors demo)"

# every item has the fields of DESIGN.md section 4 and a reason
bad=$(jq -r '[(.transaction + .kept)[] | select((.action | IN("install","upgrade","downgrade","remove","obsolete","keep") | not)
	or (.name // "") == "" or (.version // "") == "" or (.release // "") == "" or (.arch // "") == ""
	or (.repo // "") == "" or (.reason // "") == "" or (.epoch | type) != "number") | .name] | join(" ")' "$T")
t_eq "every item has action, name, epoch, version, release, arch, repo and a reason" "" "$bad"

# every distribution package is upgraded, except what PES removes and what is obsoleted
removed=$(jq -r '.expected.removed | join(" ")' "$M")
missing=""
for n in $(jq -r '.installed[] | select(.distro_signed) | .name' "$M" | sort -u); do
	case " $removed " in *" $n "*) continue ;; esac
	case $n in kernel|kernel-core|kernel-modules) continue ;; esac
	[ "$(p_item demo "$n" upgrade)" != none ] || missing="$missing $n"
done
t_eq "every distribution package is upgraded" "" "$missing"
t_eq "the upgraded packages come from the target repositories" "" \
	"$(jq -r '[.transaction[] | select(.action == "upgrade" and (.repo | startswith("almalinux9-") | not)) | .name] | join(" ")' "$T")"
t_eq "upgrades say what they replace" "" \
	"$(jq -r '[.transaction[] | select(.action == "upgrade" and ((.from // "") | contains(".el8") | not)) | .name] | join(" ")' "$T")"

# the PES events
t_eq "split: ntp removed" "remove @System PES event 101 (split)" "$(p_item demo ntp remove)"
t_eq "split: chrony installed" "install almalinux9-baseos PES event 101 (split)" "$(p_item demo chrony install)"
t_eq "split: ntpstat installed" "install almalinux9-appstream PES event 101 (split)" "$(p_item demo ntpstat install)"
t_eq "removal: network-scripts" "remove @System PES event 102 (removed)" "$(p_item demo network-scripts remove)"
t_eq "rename: mailx removed" "remove @System PES event 103 (renamed)" "$(p_item demo mailx remove)"
t_eq "rename: s-nail installed" "install almalinux9-appstream PES event 103 (renamed)" "$(p_item demo s-nail install)"
t_eq "move: mtools from AppStream" "upgrade almalinux9-appstream PES event 104 (moved)" "$(p_item demo mtools upgrade)"
# the obsolete (no PES event)
t_eq "obsolete: libmemcached-libs" "obsolete @System obsoleted by libmemcached-awesome-1.1.0-12.el9.x86_64" \
	"$(p_item demo libmemcached-libs obsolete)"
t_eq "obsolete: libmemcached-awesome installed" "install almalinux9-appstream obsoletes libmemcached-libs-1.0.18-17.el8.x86_64" \
	"$(p_item demo libmemcached-awesome install)"
# the dependency the kept third-party package needs
t_eq "compat-openssl11 pulled in for acme-agent" \
	"install almalinux9-appstream dependency: acme-agent-3.2.1-1.x86_64 requires libssl.so.1.1()(64bit)" \
	"$(p_item demo compat-openssl11 install)"
for n in $(jq -r '.expected.new[]' "$M"); do
	t_check "new package $n installed" test "$(p_item demo "$n" install)" != none
done

# third-party packages kept as they are
for n in $(jq -r '.expected.kept[]' "$M"); do
	t_eq "third-party $n kept" "keep @System third-party package (not signed by the distribution): kept as installed" \
		"$(p_item demo "$n" keep)"
	t_eq "third-party $n not in the transaction" 0 "$(jq --arg n "$n" '[.transaction[] | select(.name == $n)] | length' "$T")"
done

# the kernel: the target one installed beside the old one, which stays
for nevra in $(jq -r '.kernel.target.packages[]' "$M"); do
	n=${nevra%-*-*}
	t_eq "target $n installed (install-only)" "true" \
		"$(jq -r --arg n "$n" '[.transaction[] | select(.name == $n and .action == "install" and .installonly)] | length == 1' "$T")"
	t_eq "source $n kept as a fallback" "true" \
		"$(jq -r --arg n "$n" '[.kept[] | select(.name == $n and .installonly and (.release | contains("el8")))] | length == 1' "$T")"
done

# counts, fingerprint
t_eq "counts match the items" "true" "$(jq '(.counts.install == ([.transaction[] | select(.action == "install")] | length))
	and (.counts.upgrade == ([.transaction[] | select(.action == "upgrade")] | length))
	and (.counts.remove == ([.transaction[] | select(.action == "remove")] | length))
	and (.counts.obsolete == ([.transaction[] | select(.action == "obsolete")] | length))
	and (.counts.keep == (.kept | length))' "$T")"
t_eq "the rpmdb fingerprint counts the installed packages" "$(jq '.installed | length' "$M")" \
	"$(jq -r '.rpmdb_fingerprint | split(":")[0]' "$T")"

# download data (for the download phase): location, checksum and size from the metadata
bad=""
while read -r repo loc ctype sum size; do
	f=$P_DIR/demo/repos/$repo/$loc
	[ "$ctype" = sha256 ] && [ "$(sha256sum <"$f" | cut -d' ' -f1)" = "$sum" ] && [ "$(stat -c %s "$f")" = "$size" ] || bad="$bad $loc"
done < <(jq -r '.transaction[] | select(.action | IN("install","upgrade","downgrade")) | "\(.repo) \(.location) \(.checksum_type) \(.checksum) \(.size)"' "$T")
t_eq "every package to download has location, checksum and size matching the repository" "" "$bad"

# the reports
keys=$(p_report_keys demo)
K_PLANNED=$(t_key info "Planned RPM transaction: 27 to upgrade, 9 to install, 3 to remove, 1 obsoleted, 6 kept")
for k in "$K_PLANNED" ${K_REPOSITORIES_WITHOUT_TARGET} ${K_KERNEL_KEPT_AS_FALLBACK}; do
	case " $keys " in *" $k "*) t_ok "report $k" ;; *) t_fail "report $k" "keys: $keys" ;; esac
done
t_eq "the counts report's title" "Planned RPM transaction: 27 to upgrade, 9 to install, 3 to remove, 1 obsoleted, 6 kept" \
	"$(p_entry demo "$K_PLANNED" .title)"
t_check "the source repository without a target is named" grep -q "acme (/etc/yum.repos.d/acme.repo)" <(p_entry demo ${K_REPOSITORIES_WITHOUT_TARGET} .summary)
t_done

#!/bin/bash
# The admin's say: /etc/leapp/transaction/to_install, to_remove and to_keep (applied and
# reported), exclude= in the target repo file and in dnf.conf, and --enablerepo.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-plan.sh"

p_init
p_sysroot demo demo || { t_fail "mksysroot demo"; t_done; exit 1; }
F=root/etc/leapp/files

# the admin's lists
p_copy demo lists
mkdir -p "$P_DIR/lists/root/etc/leapp/transaction"
printf '# extra tools\nstrace\n' >"$P_DIR/lists/root/etc/leapp/transaction/to_install"
printf 'demo-app   # not needed any more\n\nnosuchpkg\n' >"$P_DIR/lists/root/etc/leapp/transaction/to_remove"
printf 'network-scripts\n' >"$P_DIR/lists/root/etc/leapp/transaction/to_keep"
p_preupgrade lists
t_eq "lists: preupgrade succeeds" 0 "$P_RC" || p_show lists
t_eq "to_install: strace installed" "install almalinux9-appstream admin to_install (/etc/leapp/transaction/to_install)" \
	"$(p_item lists strace install)"
t_eq "to_remove: demo-app removed" "remove @System admin to_remove (/etc/leapp/transaction/to_remove)" \
	"$(p_item lists demo-app remove)"
t_eq "to_keep wins over PES: network-scripts kept" \
	"keep @System admin to_keep (/etc/leapp/transaction/to_keep), overriding PES event 102 (removed)" \
	"$(p_item lists network-scripts keep)"
t_eq "to_keep: network-scripts not removed" "none" "$(p_item lists network-scripts remove)"
s=$(p_entry lists ${K_TRANSACTION_OVERRIDES} .summary)
for line in "/etc/leapp/transaction/to_install:2: strace: installed from the target repositories" \
	"/etc/leapp/transaction/to_remove:1: demo-app: removed" \
	"/etc/leapp/transaction/to_remove:3: nosuchpkg: not installed: ignored" \
	"/etc/leapp/transaction/to_keep:1: network-scripts: overriding PES event 102 (removed)"; do
	if grep -qF -- "- $line" <<<"$s"; then t_ok "overrides report: $line"; else t_fail "overrides report: $line" "$s"; fi
done

# a package to install that no target repository has: an inhibitor that says so
p_copy demo bogus
mkdir -p "$P_DIR/bogus/root/etc/leapp/transaction"
echo nosuch-tool >"$P_DIR/bogus/root/etc/leapp/transaction/to_install"
p_preupgrade bogus
t_eq "unavailable to_install: inhibited" 3 "$P_RC"
t_check "unavailable to_install: named" grep -q "package nosuch-tool is not available in the target repositories" \
	<<<"$(p_entry bogus ${K_UNSATISFIED_DEPENDENCY} .summary)"

# exclude= in dnf.conf and in the target repo file
p_copy demo excl
sed -i 's/^\[main\]/[main]\nexclude=cronie/' "$P_DIR/excl/root/etc/dnf/dnf.conf"
sed -i '/^\[almalinux9-baseos\]/a exclude=vim-minimal' "$P_DIR/excl/$F/leapp_upgrade_repositories.repo"
p_preupgrade excl
t_eq "excludes: preupgrade succeeds" 0 "$P_RC" || p_show excl
t_eq "dnf.conf exclude=cronie: cronie not upgraded" "keep @System no target version: stays as installed" \
	"$(p_item excl cronie keep)"
t_eq "repo exclude=vim-minimal: vim-minimal not upgraded" "keep @System no target version: stays as installed" \
	"$(p_item excl vim-minimal keep)"
t_eq "the excludes are in the plan" '["cronie"]' "$(cd "$P_DIR/excl" && LEAPP_ACTORS_DIR=$P_DIR/actors "$T_LEAPP" actor run \
	transaction_planner --root "$P_DIR/excl/root" --from-last-run 2>/dev/null | jq -c '[.messages[] | select(.model == "PlannedTransaction")][0].data.excludes')"

# --enablerepo: a disabled repository that has vim-minimal, used only when asked for
mkdir -p "$P_DIR/extra"
cp "$P_DIR/demo/repos/almalinux9-baseos/Packages/"vim-minimal-*.rpm "$P_DIR/extra/"
createrepo_c -q "$P_DIR/extra" >/dev/null 2>&1
printf '\n[extra]\nname=extra\nbaseurl=file://%s/extra\nenabled=0\ngpgcheck=0\n' "$P_DIR" >>"$P_DIR/excl/$F/leapp_upgrade_repositories.repo"
p_copy excl enable
p_preupgrade enable --enablerepo extra
t_eq "--enablerepo: preupgrade succeeds" 0 "$P_RC" || p_show enable
t_eq "--enablerepo extra: vim-minimal comes from it" "upgrade extra distro-sync" "$(p_item enable vim-minimal upgrade)"
p_preupgrade excl
t_eq "without --enablerepo the disabled repository is not used" "none" "$(p_item excl vim-minimal upgrade)"
p_copy demo unknown
p_preupgrade unknown --enablerepo nosuch
t_eq "--enablerepo nosuch: inhibited" 3 "$P_RC"
t_check "--enablerepo nosuch: named" grep -q -- "--enablerepo nosuch: no repository with this id" \
	<<<"$(p_entry unknown "$K_TARGET_REPO_UNUSABLE" .summary)"
t_done

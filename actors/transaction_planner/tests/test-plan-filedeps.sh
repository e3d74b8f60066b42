#!/bin/bash
# The planner alone (standalone, with fixture messages) on a tiny system built here: a file
# dependency outside primary.xml's file list makes it load filelists, and the provider is
# planned; without the need, filelists are not read. Also: the tree under --root is unchanged.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/plan/lib-plan.sh"

p_init
B=$P_DIR/rpmbuild
mkdir -p "$B/SPECS" "$P_DIR/repo" "$P_DIR/root/var/lib/rpm"
# mkspec NAME VERSION REQUIRES FILE
mkspec() {
	cat >"$B/SPECS/$1-$2.spec" <<EOF
Name: $1
Version: $2
Release: 1.el${2%%.*}
Summary: test package
License: MIT
BuildArch: noarch
${3:+Requires: $3}
%description
test
%install
mkdir -p %{buildroot}$(dirname "$4")
echo $1 > %{buildroot}$4
%files
$4
EOF
	rpmbuild --quiet --define "_topdir $B" --define "_rpmdir $B/RPMS" -bb "$B/SPECS/$1-$2.spec" >/dev/null 2>&1
}
mkspec filedep-user 8.0 "" /usr/bin/filedep-user
mkspec filedep-user 9.0 /usr/share/filedep/data /usr/bin/filedep-user
mkspec filedep-provider 9.0 "" /usr/share/filedep/data
R=$P_DIR/root
rpmq() { rpm --root "$R" --dbpath /var/lib/rpm --define "_dbpath /var/lib/rpm" "$@" 2>/dev/null; }
rpmq --initdb
rpmq -i --justdb --nodeps "$B/RPMS/noarch/filedep-user-8.0-1.el8.noarch.rpm"
t_eq "the source system has filedep-user 8.0" "filedep-user-8.0-1.el8.noarch" "$(rpmq -q filedep-user)"
cp "$B/RPMS/noarch/filedep-user-9.0-1.el9.noarch.rpm" "$B/RPMS/noarch/filedep-provider-9.0-1.el9.noarch.rpm" "$P_DIR/repo/"
createrepo_c -q "$P_DIR/repo" >/dev/null 2>&1
t_check "primary.xml does not list the file /usr/share/filedep/data" \
	sh -c "! zcat $P_DIR/repo/repodata/*-primary.xml.gz | grep -q '<file>/usr/share/filedep/data'"

input() {
	cat <<EOF
{"workflow": {"source_distro": "almalinux", "source_version": "8.10", "source_major": 8, "target_distro": "almalinux",
  "target_version": "9.6", "target_major": 9, "architecture": "x86_64"},
 "messages": [
  {"model": "RepositoriesMapping", "data": {"files": [], "mapping": [], "repositories": [], "pesids": []}},
  {"model": "PESRpmTransactionTasks", "data": {"to_install": [], "to_remove": [], "to_keep": [], "notes": [],
    "modules_to_enable": [], "modules_to_reset": [], "stream_maps": [], "target_pesids": [], "overrides": [],
    "warnings": [], "files": []}},
  {"model": "TargetRepositories", "data": {"repos": [{"repoid": "t", "baseurl": ["file://$P_DIR/repo"],
    "gpgcheck": false, "origin": "upgrade_repos"}], "unmapped": []}},
  {"model": "ThirdPartyRPM", "data": {"items": []}},
  {"model": "DNFConfig", "data": {"exclude": [$1]}}
 ]}
EOF
}
mkdir -p "$R/var/log/leapp" # leapp's own directory, made by the broker
before=$(/usr/bin/python3 "$T_TOP/scripts/sysroot/treesum" --exclude var/log/leapp "$R")
input "" >"$P_DIR/in.json"
OUT=$("$P_ACTORS_SRC/transaction_planner/transaction_planner" --root "$R" --input "$P_DIR/in.json" 2>"$P_DIR/err")
t_eq "the planner succeeds" 0 "$?" || cat "$P_DIR/err"
after=$(/usr/bin/python3 "$T_TOP/scripts/sysroot/treesum" --exclude var/log/leapp "$R")
t_eq "the tree under --root is unchanged" "$before" "$after"
t_eq "planned" planned "$(jq -r '[.messages[] | select(.model == "PlannedTransaction")][0].data.status' <<<"$OUT")"
t_eq "filedep-user upgraded" "upgrade 9.0" \
	"$(jq -r '[.messages[] | select(.model == "PlannedTransaction")][0].data.items[] | select(.name == "filedep-user") | "\(.action) \(.version)"' <<<"$OUT")"
t_eq "its file dependency's provider installed, found through filelists" \
	"install dependency: filedep-user-9.0-1.el9.noarch requires /usr/share/filedep/data" \
	"$(jq -r '[.messages[] | select(.model == "PlannedTransaction")][0].data.items[] | select(.name == "filedep-provider") | "\(.action) \(.reason)"' <<<"$OUT")"
t_check "the log says filelists were loaded" grep -q "filelists loaded" <<<"$(jq -r '.logs[].message' <<<"$OUT")"

# with the user excluded (dnf.conf), nothing needs filelists: they are not read
input '"filedep-user"' >"$P_DIR/in.json"
OUT=$("$P_ACTORS_SRC/transaction_planner/transaction_planner" --root "$R" --input "$P_DIR/in.json" 2>"$P_DIR/err")
t_eq "excluded: planned" planned "$(jq -r '[.messages[] | select(.model == "PlannedTransaction")][0].data.status' <<<"$OUT")"
t_check "excluded: filelists not needed" grep -q "filelists not needed" <<<"$(jq -r '.logs[].message' <<<"$OUT")"
t_eq "excluded: filedep-user kept" "keep" \
	"$(jq -r '[.messages[] | select(.model == "PlannedTransaction")][0].data.kept[] | select(.name == "filedep-user") | .action' <<<"$OUT")"
t_done

#!/bin/bash
# dnf variables and the repository files as vendors ship them (issue 17):
# - AlmaLinux leapp-data's leapp_upgrade_repositories.repo and vendors.d/mariadb.repo, and a
#   repository file in epel-release's form, read by repositories_scanner as shipped: every
#   section, mirrorlist and metalink URLs with $basearch and $releasever expanded, "key = value"
#   with spaces, commented-out baseurls ignored;
# - /etc/dnf/vars/* apply to the source repositories as dnf applies them: a pinned releasever
#   (8.6) and custom variables ($infra, $contentdir);
# - the pinned releasever is reported (check_etc_releasever, upstream's title), the target
#   repositories still get the target release (their URL has $releasever: the upgrade plans),
#   and set_etc_releasever writes the target release into the file.
. "$(dirname "$0")/../lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"

sysroot demo || { t_fail "mksysroot demo"; t_done; exit 1; }
R=$SR/root
D=$T_TOP/tests/data
mkdir -p "$R/etc/dnf/vars"
echo 8.6 >"$R/etc/dnf/vars/releasever"
echo stock >"$R/etc/dnf/vars/infra"
echo pub/epel >"$R/etc/dnf/vars/contentdir"
cp "$D/leapp-data/almalinux-leapp_upgrade_repositories.repo.el8" "$R/etc/yum.repos.d/almalinux-upgrade.repo"
cp "$D/leapp-data/vendors.d-mariadb.repo.el8" "$R/etc/yum.repos.d/mariadb.repo"
cp "$D/epel.repo" "$R/etc/yum.repos.d/epel.repo"

f_tmpdir
mk_input "$F_DIR/in.json" "$(ipu 8.10 9.9)"
run_actor repositories_scanner "$R" "$F_DIR/in.json"
t_eq "repositories_scanner runs" 0 "$A_RC"
repos() { msgr RepositoriesFacts ".repositories[] | select(.file | endswith(\"/$1\")) | .data[] | $2"; }
t_eq "AlmaLinux's file: every section, in order" \
	"$(grep -o '^\[[^]]*\]' "$D/leapp-data/almalinux-leapp_upgrade_repositories.repo.el8" | tr -d '[]' | tr '\n' ' ')" \
	"$(repos almalinux-upgrade.repo .repoid | tr '\n' ' ')"
t_eq "AlmaLinux's file: the mirrorlists as written, no baseurl (commented out)" \
	"$(sed -n 's/^mirrorlist=//p' "$D/leapp-data/almalinux-leapp_upgrade_repositories.repo.el8" | tr '\n' ' ')|0" \
	"$(repos almalinux-upgrade.repo .mirrorlist | tr '\n' ' ')|$(repos almalinux-upgrade.repo '.baseurl | length' | sort -u)"
t_eq "AlmaLinux's file: gpgcheck per section" "$(sed -n 's/^gpgcheck=//p' "$D/leapp-data/almalinux-leapp_upgrade_repositories.repo.el8" | sed 's/1/true/;s/0/false/' | tr '\n' ' ')" \
	"$(repos almalinux-upgrade.repo .gpgcheck | tr '\n' ' ')"
t_eq "MariaDB's file: three sections, \"key = value\", \$basearch expanded" \
	"el8-mariadb-main https://dlm.mariadb.com/repo/mariadb-server/11/yum/rhel/8/x86_64 true|el8-mariadb-maxscale https://dlm.mariadb.com/repo/maxscale/latest/yum/rhel/8/x86_64 true|el8-mariadb-tools https://downloads.mariadb.com/Tools/rhel/8/x86_64 true" \
	"$(repos mariadb.repo '"\(.repoid) \(.baseurl[0]) \(if .module_hotfixes then "true" else "" end)"' | tr '\n' '|' | sed 's/|$//')"
t_eq "MariaDB's file: the gpgkeys" "file:///etc/leapp/files/vendors.d/rpm-gpg/mariadb-Server-GPG-KEY" \
	"$(repos mariadb.repo 'select(.repoid == "el8-mariadb-main") | .gpgkey[0]')"
t_eq "EPEL's metalink: the pinned releasever and the custom variables of /etc/dnf/vars" \
	"https://mirrors.fedoraproject.org/metalink?repo=epel-8.6&arch=x86_64&infra=stock&content=pub/epel" \
	"$(repos epel.repo 'select(.repoid == "epel") | .metalink')"
t_eq "EPEL's file: both sections, the debuginfo one disabled" "epel true|epel-debuginfo false" \
	"$(repos epel.repo '"\(.repoid) \(.enabled)"' | tr '\n' '|' | sed 's/|$//')"
t_eq "the name expands too" "Extra Packages for Enterprise Linux 8.6 - x86_64" "$(repos epel.repo 'select(.repoid == "epel") | .name')"

# the pinned releasever reported
run_actor check_etc_releasever "$R" "$F_DIR/in.json"
t_eq "check_etc_releasever: reported, with upstream's title" \
	"0 Release version in /etc/dnf/vars/releasever will be set to the current target release|info" \
	"$A_RC $(printf '%s' "$A_OUT" | jq -r '.reports[] | "\(.title)|\(.severity)"')"
t_check "check_etc_releasever: naming the pinned value and the target" grep -q 'pins the release version to "8.6".*target release (9.9)' \
	<<<"$(printf '%s' "$A_OUT" | jq -r '.reports[].summary')"
rm "$R/etc/dnf/vars/releasever"
run_actor check_etc_releasever "$R" "$F_DIR/in.json"
t_eq "check_etc_releasever: nothing pinned, nothing reported" "0 0" "$A_RC $(printf '%s' "$A_OUT" | jq '.reports | length')"
echo 8.6 >"$R/etc/dnf/vars/releasever"

# the whole preupgrade: the target repositories' URLs hold $releasever, which must be the target's
rm "$R"/etc/yum.repos.d/{almalinux-upgrade,mariadb,epel}.repo
tf=$R/etc/leapp/files/leapp_upgrade_repositories.repo
mkdir -p "$SR/rel"
ln -s ../repos "$SR/rel/9.9"
sed -i "s|^baseurl=file://$SR/repos/|baseurl=file://$SR/rel/\$releasever/|" "$tf"
t_check "the target repositories' baseurls hold \$releasever" grep -q "^baseurl=file://$SR/rel/\$releasever/" "$tf"
OUT=$("$T_LEAPP" preupgrade --root "$R" 2>&1); RC=$?
t_eq "preupgrade exits 0 (the target repositories found under the target release, not 8.6)" 0 "$RC" || echo "$OUT" | tail -5
REP=$R/var/log/leapp/leapp-report.json
t_eq "the report has the pinned releasever" 1 \
	"$(jq '[.entries[] | select(.title == "Release version in /etc/dnf/vars/releasever will be set to the current target release")] | length' "$REP")"

# after the upgrade (Applications): the file says the target release
run_actor set_etc_releasever "$R" "$F_DIR/in.json"
t_eq "set_etc_releasever: the target release written" "0 9.9" "$A_RC $(cat "$R/etc/dnf/vars/releasever")"
rm "$R/etc/dnf/vars/releasever"
run_actor set_etc_releasever "$R" "$F_DIR/in.json"
t_eq "set_etc_releasever: no file, none made" "0 absent" "$A_RC $(test -e "$R/etc/dnf/vars/releasever" && echo present || echo absent)"
t_done

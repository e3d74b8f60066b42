#!/bin/bash
# repositories_scanner: *.repo files with dnf's rules ($releasever = the major version,
# $basearch, /etc/dnf/vars), enabled/gpgcheck defaults from dnf.conf, excludes, reposdir,
# and an inhibitor for a repository file dnf could not read.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"

f_tmpdir
R=$F_DIR/root
mkdir -p "$R/etc/yum.repos.d" "$R/etc/dnf/vars"
cat >"$R/etc/dnf/dnf.conf" <<'CONF'
[main]
gpgcheck=0
installonly_limit=2
exclude=kernel* foo
excludepkgs=bar
CONF
echo "prod" >"$R/etc/dnf/vars/stage"
cat >"$R/etc/yum.repos.d/b.repo" <<'REPO'
[baseos]
name=BaseOS $releasever
baseurl=https://mirror.example/$releasever/BaseOS/$basearch/os/
        https://mirror2.example/$stage/$basearch/
gpgkey=file:///etc/pki/rpm-gpg/RPM-GPG-KEY-a, file:///etc/pki/rpm-gpg/RPM-GPG-KEY-b
exclude=python3-foo*

[disabled-one]
baseurl=https://example/x
enabled=0
gpgcheck=1
REPO
cat >"$R/etc/yum.repos.d/a.repo" <<'REPO'
[epel]
metalink=https://mirrors.fedoraproject.org/metalink?repo=epel-$releasever&arch=$basearch
REPO
echo "not a repo" >"$R/etc/yum.repos.d/README"
f_tmpdir
IN=$F_DIR/in.json
mk_input "$IN" "$(ipu 8.10 9.6)"
run_actor repositories_scanner "$R" "$IN"
t_eq "runs" 0 "$A_RC"
t_eq "files in name order, *.repo only" '"/etc/yum.repos.d/a.repo /etc/yum.repos.d/b.repo"' "$(msg RepositoriesFacts '[.repositories[].file] | join(" ")')"
t_eq "\$releasever is the major version, \$basearch the arch, /etc/dnf/vars" \
	'["https://mirror.example/8/BaseOS/x86_64/os/","https://mirror2.example/prod/x86_64/"]' "$(msg RepositoriesFacts '.repositories[1].data[0].baseurl')"
t_eq "metalink expanded" '"https://mirrors.fedoraproject.org/metalink?repo=epel-8&arch=x86_64"' "$(msg RepositoriesFacts '.repositories[0].data[0].metalink')"
t_eq "gpgcheck default from dnf.conf (0)" 'false' "$(msg RepositoriesFacts '.repositories[0].data[0].gpgcheck')"
t_eq "enabled and gpgcheck as written" '"false true"' "$(msg RepositoriesFacts '.repositories[1].data[1] | "\(.enabled) \(.gpgcheck)"')"
t_eq "gpgkey list" '2' "$(msg RepositoriesFacts '.repositories[1].data[0].gpgkey | length')"
t_eq "repo exclude" '["python3-foo*"]' "$(msg RepositoriesFacts '.repositories[1].data[0].exclude')"
t_eq "dnf.conf exclude and excludepkgs" '["kernel*","foo","bar"]' "$(msg DNFConfig .exclude)"
t_eq "installonly_limit" '2' "$(msg DNFConfig .installonly_limit)"
t_eq "no reports" "" "$(report_keys)"

echo 'releasever=8.10' >>"$R/etc/dnf/dnf.conf"
run_actor repositories_scanner "$R" "$IN"
t_eq "releasever from dnf.conf" '"https://mirror.example/8.10/BaseOS/x86_64/os/"' "$(msg RepositoriesFacts '.repositories[1].data[0].baseurl[0]')"

printf '[broken\nbaseurl=x\n' >"$R/etc/yum.repos.d/c.repo"
run_actor repositories_scanner "$R" "$IN"
t_eq "an unreadable repo file inhibits" "$(t_key high "A repository file is invalid")" "$(inhibitor_keys)"
t_check "the report names file and line" grep -q "/etc/yum.repos.d/c.repo:1" <<<"$(report "$(t_key high "A repository file is invalid")" .summary)"
t_eq "the other files are still read" '2' "$(msg RepositoriesFacts '.repositories | length')"
rm "$R/etc/yum.repos.d/c.repo"

mkdir -p "$R/srv/repos"
mv "$R/etc/yum.repos.d/a.repo" "$R/srv/repos/"
echo 'reposdir=/srv/repos' >>"$R/etc/dnf/dnf.conf"
run_actor repositories_scanner "$R" "$IN"
t_eq "reposdir from dnf.conf" '"/srv/repos/a.repo"' "$(msg RepositoriesFacts '[.repositories[].file] | join(" ")')"
# a repo file that is an absolute symlink is read inside the root, not on the host
mkdir -p "$R/srv/shared"
mv "$R/srv/repos/a.repo" "$R/srv/shared/a.repo"
ln -s /srv/shared/a.repo "$R/srv/repos/a.repo"
run_actor repositories_scanner "$R" "$IN"
t_eq "an absolutely symlinked repo file is read inside the root" '"/srv/repos/a.repo" 0' \
	"$(msg RepositoriesFacts '[.repositories[].file] | join(" ")') $(printf '%s' "$A_OUT" | jq '.reports | length')"
t_done

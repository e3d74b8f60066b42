#!/bin/bash
# metalink= in a target repository file (AlmaLinux's leapp-data uses it for EPEL): the metalink
# is fetched over http from 127.0.0.1, its mirrors are tried in order of preference, the
# repomd.xml each serves is checked against the metalink's hashes (a tampered mirror is
# skipped, saying why), the log says which mirror served, and the plan is made from it.
# A metalink whose hashes no mirror matches stops the plan, naming the repository.
. "$(dirname "$0")/../lib.sh"
. "$T_TOP/tests/download/lib-download.sh"

d_init
d_sysroot demo demo || { t_fail "mksysroot demo"; t_done; exit 1; }
R=$(d_root demo)
OUT=$D_DIR/demo
T_CLEANUP_HOOK='d_cleanup; "$T_TOP/scripts/sysroot/serve-repos" --stop "$OUT" >/dev/null 2>&1'
base=$("$T_TOP/scripts/sysroot/serve-repos" --daemon "$OUT")
t_check "serve-repos answers" test -n "$base"
top=${base%/repos}
good=$OUT/repos/almalinux9-baseos/repodata/repomd.xml

# a mirror whose repomd.xml was tampered with (same data files, one more line)
mkdir -p "$OUT/tampered/almalinux9-baseos"
cp -a "$OUT/repos/almalinux9-baseos/repodata" "$OUT/tampered/almalinux9-baseos/"
echo "<!-- tampered -->" >>"$OUT/tampered/almalinux9-baseos/repodata/repomd.xml"
# metalink ARCH-FILE SHA256 MD5: MirrorManager's format; the tampered mirror is preferred, a
# dead one next, the good one last; an rsync:// URL is not for us
metalink() {
	cat >"$1" <<XML
<?xml version="1.0" encoding="utf-8"?>
<metalink version="3.0" xmlns="http://www.metalinker.org/" type="dynamic" pubdate="Mon, 01 Jan 2024 00:00:00 GMT" generator="mirrormanager" xmlns:mm0="http://fedorahosted.org/mirrormanager">
 <files>
  <file name="repomd.xml">
   <mm0:timestamp>1704067200</mm0:timestamp>
   <size>$(stat -c %s "$good")</size>
   <verification>
    <hash type="md5">$3</hash>
    <hash type="sha256">$2</hash>
   </verification>
   <mm0:alternates>
    <mm0:alternate>
     <mm0:timestamp>1704000000</mm0:timestamp>
     <verification><hash type="sha256">0000000000000000000000000000000000000000000000000000000000000000</hash></verification>
    </mm0:alternate>
   </mm0:alternates>
   <resources maxconnections="1">
    <url protocol="rsync" type="rsync" location="US" preference="100">rsync://127.0.0.1/repos/almalinux9-baseos/repodata/repomd.xml</url>
    <url protocol="http" type="http" location="US" preference="90">http://127.0.0.1:1/dead/almalinux9-baseos/repodata/repomd.xml</url>
    <url protocol="http" type="http" location="DE" preference="50">$base/almalinux9-baseos/repodata/repomd.xml</url>
    <url protocol="http" type="http" location="US" preference="99">$top/tampered/almalinux9-baseos/repodata/repomd.xml</url>
   </resources>
  </file>
 </files>
</metalink>
XML
}
metalink "$OUT/metalink-x86_64.xml" "$(sha256sum <"$good" | cut -d' ' -f1)" "$(md5sum <"$good" | cut -d' ' -f1)"
repofile=$R/etc/leapp/files/leapp_upgrade_repositories.repo
sed -i "/^\[almalinux9-baseos\]/,/^\[/{s|^baseurl=.*|metalink=$top/metalink-\$basearch.xml|}" "$repofile"
sed -i "s|^baseurl=file://$OUT/repos/|baseurl=$base/|" "$repofile"
t_check "the BaseOS repository has only a metalink, with \$basearch" grep -q "^metalink=$top/metalink-\$basearch.xml$" "$repofile"

d_leapp demo preupgrade
t_eq "preupgrade exits 0" 0 "$D_RC" || d_show demo
LOG=$R/var/log/leapp/leapp-preupgrade.log
t_check "the tampered mirror (preferred) was tried and refused: its repomd.xml does not match" grep -q \
	"almalinux9-baseos: $top/tampered/almalinux9-baseos/: $top/tampered/almalinux9-baseos/repodata/repomd.xml does not match the metalink: its sha256 is" "$LOG"
t_check "then the dead one" grep -q "almalinux9-baseos: http://127.0.0.1:1/dead/almalinux9-baseos/" "$LOG"
t_check "the log says which mirror served, and that it was verified" grep -q \
	"repository almalinux9-baseos: metadata fetched from $base/almalinux9-baseos/ into .* (repomd.xml verified against the metalink $top/metalink-x86_64.xml)" "$LOG"
t_check "rsync:// was not tried" bash -c "! grep -q rsync:// '$LOG'"
d_probe demo
t_eq "TargetRepositories says which mirror served" "$base/almalinux9-baseos/" \
	"$(d_msgr demo TargetRepositories '.repos[] | select(.repoid == "almalinux9-baseos") | .metadata_url')"
t_eq "the metadata copy is the good one" "$(sha256sum <"$good")" \
	"$(sha256sum <"$R/var/lib/leapp/repo-metadata/almalinux9-baseos/repodata/repomd.xml")"
t_eq "the plan is made from it" true "$(d_msgr demo PlannedTransaction '.counts.upgrade > 10')"

# no mirror matches the metalink: the plan stops, naming the repository and why
metalink "$OUT/metalink-x86_64.xml" "$(printf '%064d' 1)" "$(printf '%032d' 1)"
rm -rf "$R/var/lib/leapp/repo-metadata"
d_leapp demo preupgrade
t_check "a metalink no mirror matches: preupgrade fails" test "$D_RC" -ne 0
t_check "naming the repository and the mismatch" grep -q \
	"almalinux9-baseos: cannot fetch its metadata: .*does not match the metalink" "$R/var/log/leapp/leapp-report.txt" "$D_DIR/demo.out"
t_done

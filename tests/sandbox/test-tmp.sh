#!/bin/bash
# An actor's /tmp and /run: private tmpfs, writable, and nothing of the host's shows there except
# the file:// repository paths of the repo files, bound read-only one by one (a sibling of such a
# path stays hidden); nothing the actor writes there reaches the host.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../engine/lib-engine.sh"

root=$(mk_root)
# directories in the host's /tmp, outside the scratch tree that holds --root
hostdir=$(mktemp -d /tmp/leapp-hosttmp.XXXXXX)
T_TMPDIRS="${T_TMPDIRS:-} $hostdir"
echo "from the host" >"$hostdir/hello"
mkdir -p "$hostdir/repo/repodata" "$hostdir/keys"
echo "repo metadata" >"$hostdir/repo/repodata/repomd.xml"
echo "a key" >"$hostdir/keys/RPM-GPG-KEY-test"
echo "secret" >"$hostdir/keys/other"
mkdir -p "$root/etc/yum.repos.d"
cat >"$root/etc/yum.repos.d/local.repo" <<REPO
[local]
name=a file:// repository in the host's /tmp
baseurl=file://$hostdir/repo/
gpgkey=file://$hostdir/keys/RPM-GPG-KEY-test
REPO
d=$root/etc/leapp/repos.d/test/actors/tmpuser
mkdir -p "$d"
cat >"$d/actor.yaml" <<YAML
name: tmpuser
description: reads and writes /tmp
phase: FactsCollection
exec: run.sh
produces: [TestValue]
YAML
cat >"$d/run.sh" <<SH
#!/bin/sh
eval "\$(leapp-msg init "\$@")"
hello=\$(cat "$hostdir/hello" 2>&1 >/dev/null | sed 's/.*: //')
repo=\$(cat "$hostdir/repo/repodata/repomd.xml" 2>&1)
key=\$(cat "$hostdir/keys/RPM-GPG-KEY-test" 2>&1)
other=\$(cat "$hostdir/keys/other" 2>&1 >/dev/null | sed 's/.*: //')
w=\$( (echo changed >"$hostdir/repo/repodata/repomd.xml") 2>&1 | sed 's/.*: //')
echo mine >/tmp/actor-private-file
echo mine >/run/actor-private-file
own=\$(cat /tmp/actor-private-file /run/actor-private-file | tr '\n' ,)
leapp-msg produce TestValue "{\"producer\": \"tmpuser\", \"n\": 1, \"text\": \"\$hello|\$repo|\$key|\$other|\$w|\$own\"}"
leapp-msg done
SH
chmod +x "$d/run.sh"
leapp_run "$root" preupgrade
t_eq "the run succeeds" 0 "$E_RC"
out=$("$T_LEAPP" actor run tmpuser --root "$root" 2>/dev/null)
text=$(jq -r '.messages[0].data.text' <<<"$out")
IFS='|' read -r hello repo key other w own <<<"$text"
t_eq "the host's /tmp is not visible" "No such file or directory" "$hello"
t_eq "a file:// repository path is visible" "repo metadata" "$repo"
t_eq "a file:// gpgkey is visible" "a key" "$key"
t_eq "its sibling is not" "No such file or directory" "$other"
t_eq "the repository is read-only" "Read-only file system" "$w"
t_eq "the actor writes its own /tmp and /run" "mine,mine," "$own"
t_eq "the host's files are unchanged" "from the host|repo metadata" "$(cat "$hostdir/hello")|$(cat "$hostdir/repo/repodata/repomd.xml")"
[ ! -e /tmp/actor-private-file ] && t_ok "the actor's own /tmp file is not on the host" || t_fail "private file leaked to the host"
[ ! -e /run/actor-private-file ] && t_ok "the actor's own /run file is not on the host" || t_fail "private /run file leaked to the host"
t_done

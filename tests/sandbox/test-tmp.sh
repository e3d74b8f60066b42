#!/bin/bash
# An actor's /tmp: private and writable, but what the host keeps in its /tmp (a file:// repo,
# say) shows through read-only; nothing the actor writes there reaches the host.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../engine/lib-engine.sh"

root=$(mk_root)
# a directory in the host's /tmp, outside the scratch tree that holds --root
hostdir=$(mktemp -d /tmp/leapp-hosttmp.XXXXXX)
T_TMPDIRS="${T_TMPDIRS:-} $hostdir"
echo "from the host" >"$hostdir/hello"
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
seen=\$(cat "$hostdir/hello" 2>&1)
echo changed >"$hostdir/hello" 2>/dev/null
echo mine >/tmp/actor-private-file
own=\$(cat /tmp/actor-private-file)
leapp-msg produce TestValue "{\"producer\": \"tmpuser\", \"n\": 1, \"text\": \"\$seen|\$own\"}"
leapp-msg done
SH
chmod +x "$d/run.sh"
leapp_run "$root" preupgrade
t_eq "the run succeeds" 0 "$E_RC"
out=$("$T_LEAPP" actor run tmpuser --root "$root" 2>/dev/null)
case "$out" in *'"text": "from the host|mine"'*) t_ok "the actor reads the host's /tmp and writes its own" ;;
	*) t_fail "the actor reads the host's /tmp and writes its own" "$out" ;; esac
t_eq "the host's file is unchanged" "from the host" "$(cat "$hostdir/hello")"
[ ! -e /tmp/actor-private-file ] && t_ok "the actor's own /tmp file is not on the host" || t_fail "private file leaked to the host"
t_done

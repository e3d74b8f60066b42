#!/bin/bash
# scripts/leapp-fleet against real sshd processes on 127.0.0.1: one host ready (demo), one
# inhibited (NFS), one failing (an actor that crashes), one unreachable; the summary, the
# per-host files, the exit codes, --only failed, and upgrade --reboot --wave 1.
# san: skip (a shell wrapper and make install: the sanitizer build adds nothing to them)
. "$(dirname "$0")/../lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
. "$T_TOP/tests/engine/lib-engine.sh"
. "$T_TOP/tests/cli/lib-cli.sh"
. "$T_TOP/tests/fleet/lib-fleet.sh"
FLEET=$T_TOP/scripts/leapp-fleet
export LEAPP_UNSUPPORTED=1 LEAPP_DEVEL_USE_HOST_DRACUT=1

t_check "leapp-fleet is shellcheck-clean" shellcheck "$FLEET"

sysroot demo || t_fail "mksysroot demo"
READY=$SR/root
sysroot inhibit-nfs || t_fail "mksysroot inhibit-nfs"
INHIB=$SR/root
sysroot demo || t_fail "mksysroot demo (the failing host)"
FAILR=$SR/root
mkdir -p "$FAILR/etc/leapp/repos.d/test/models"
cp "$T_BUILD/tests/models/test.yaml" "$FAILR/etc/leapp/repos.d/test/models/"
mk_actor "$FAILR" crash FactsCollection segfault "" ""

fleet_setup
# sshd gives a session a clean environment: the host's own settings go with it
fleet_host ready "$READY" LEAPP_UNSUPPORTED=1 LEAPP_DEVEL_USE_HOST_DRACUT=1 || t_fail "sshd for ready"
fleet_host inhibited "$INHIB" || t_fail "sshd for inhibited"
fleet_host failing "$FAILR" || t_fail "sshd for failing"
fleet_alias unreachable "$(free_port)"

cat >"$FL/inventory" <<INV
# the test fleet
ready
root@inhibited   # user@host
failing
unreachable
INV
OUT=$FL/out
res=$("$FLEET" -j 4 -o "$OUT" --ssh-config "$FL/ssh_config" --timeout 600 preupgrade "$FL/inventory" 2>"$FL/err"); rc=$?
printf '%s\n' "$res" >"$FL/summary-preupgrade.txt"
echo "$res" | sed 's/^/# /'
t_eq "preupgrade: exit 1 (a host failed)" 1 "$rc"
state() { jq -r --arg h "$1" '.hosts[] | select(.host == $h) | .state' "$OUT/summary.json"; }
t_eq "ready is ready" ready "$(state ready)"
t_eq "inhibited is inhibited" inhibited "$(state root@inhibited)"
t_eq "failing is error" error "$(state failing)"
t_eq "unreachable is unreachable" unreachable "$(state unreachable)"
t_eq "summary.json lists the hosts as written, in order" "ready root@inhibited failing unreachable" "$(jq -r '[.hosts[].host] | join(" ")' "$OUT/summary.json")"
t_eq "the inhibitors counted across the fleet by title" "1 Use of NFS detected. Upgrade can't proceed" \
	"$(jq -r '.inhibitors[] | "\(.hosts) \(.title)"' "$OUT/summary.json")"
t_eq "summary.csv: a header and one row per host" '"host","state","exit_code","inhibitors"|"ready","ready",0,0|"root@inhibited","inhibited",3,1|"failing","error",1,0|"unreachable","unreachable",255,0' \
	"$(paste -sd'|' "$OUT/summary.csv")"
t_has "the table has every host" "$res" "root@inhibited                 inhibited    3     1"
for f in leapp-report.json leapp-report.txt exit-code log progress.jsonl state; do
	t_check "ready/$f collected" test -s "$OUT/ready/$f"
done
t_check "the collected report is the host's" cmp "$OUT/root@inhibited/leapp-report.json" "$INHIB/var/log/leapp/leapp-report.json"
t_check "the progress is leapp's --json-progress" grep -q '"event": *"done"' "$OUT/ready/progress.jsonl"
t_check "the failing host's report names the crash" grep -q "^Title: Actor crash failed" "$OUT/failing/leapp-report.txt"
t_check "the unreachable host's log says why" grep -qi "connect" "$OUT/unreachable/log"

# status reads the states without contacting the hosts
st=$("$FLEET" -o "$OUT" --ssh-config "$FL/ssh_config" status "$FL/inventory"); rc=$?
t_eq "status: the same exit code" 1 "$rc"
t_has "status: the table" "$st" "unreachable                    unreachable"

# the admin fixes the failing host and the NFS mount; --only failed runs those again
rm -rf "$FAILR/etc/leapp/repos.d/test"
sed -i '/nfs/d' "$INHIB/etc/fstab" "$INHIB/proc/self/mountinfo"
touch "$OUT/ready/untouched"
cp "$OUT/ready/progress.jsonl" "$FL/ready-progress"
res=$("$FLEET" -o "$OUT" --ssh-config "$FL/ssh_config" --only failed preupgrade "$FL/inventory" 2>"$FL/err"); rc=$?
t_eq "--only failed: the ready host is not run again" "" "$(cmp "$OUT/ready/progress.jsonl" "$FL/ready-progress" 2>&1)"
t_eq "--only failed: the fixed hosts are ready" "ready ready" "$(state root@inhibited) $(state failing)"
t_eq "--only failed: still exit 1 (unreachable)" 1 "$rc"

# inventory without the unreachable host: all ready, exit 0; an inhibited one alone: exit 3
grep -v unreachable "$FL/inventory" >"$FL/inv-ok"
"$FLEET" -o "$FL/out2" --ssh-config "$FL/ssh_config" preupgrade "$FL/inv-ok" >/dev/null 2>&1
t_eq "every host ready: exit 0" 0 $?
printf 'nfs.example.com:/export /mnt/data nfs defaults 0 0\n' >>"$INHIB/etc/fstab"
printf '2000 1 0:99 / /mnt/data rw,relatime - nfs4 nfs.example.com:/export rw\n' >>"$INHIB/proc/self/mountinfo"
printf 'ready\nroot@inhibited\n' >"$FL/inv-3"
"$FLEET" -o "$FL/out3" --ssh-config "$FL/ssh_config" preupgrade "$FL/inv-3" >/dev/null 2>&1
t_eq "some inhibited, none failed: exit 3" 3 $?

# Ctrl-C in the middle: every host is left in a state status reads
fleet_host slow "$READY" || t_fail "sshd for slow"
# (a host whose leapp takes 15 s and then does nothing: the remote side ends by itself)
printf '#!/bin/bash\nsleep 15\n' >"$FL/slow/bin/leapp"
printf 'ready\nslow\n' >"$FL/inv-int"
/usr/bin/python3 -c 'import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])' \
	"$FLEET" -o "$FL/int" --ssh-config "$FL/ssh_config" preupgrade "$FL/inv-int" >"$FL/int.out" 2>&1 &
pid=$!
for i in $(seq 150); do [ "$(cat "$FL/int/slow/state" 2>/dev/null)" = running ] && [ "$(cat "$FL/int/ready/state" 2>/dev/null)" = ready ] && break; sleep 0.2; done
kill -INT "$pid"
wait "$pid"
t_eq "Ctrl-C: exit 1" 1 $?
t_has "Ctrl-C: it says how to see where each host is" "$(cat "$FL/int.out")" "leapp-fleet: interrupted;"
st=$("$FLEET" -o "$FL/int" status "$FL/inv-int")
t_eq "Ctrl-C: status reads every host's state (the finished one ready, the cut one error)" "ready error" \
	"$(jq -r '[.hosts[].state] | join(" ")' "$FL/int/summary.json")"
sleep 1
t_check "Ctrl-C: no ssh of the run is left" bash -c "! pgrep -f '^ssh .*-F $FL/ssh_config.* slow'"

# usage errors
"$FLEET" frobnicate "$FL/inventory" 2>/dev/null
t_eq "an unknown command: exit 2" 2 $?
printf 'ok-host\nbad host name\n' >"$FL/inv-bad"
err=$("$FLEET" -o "$FL/out4" preupgrade "$FL/inv-bad" 2>&1)
t_eq "a bad inventory line: exit 2" 2 $?
t_has "it names the file and line" "$err" "inv-bad:2: 'bad host name' is not [user@]host[:port]"

# upgrade in waves of one host, with the reboot: the ready host ends upgraded on the target
printf 'ready\n' >"$FL/inv-up"
res=$(LEAPP_FLEET_POLL=2 "$FLEET" -o "$FL/up" --ssh-config "$FL/ssh_config" --timeout 900 upgrade --reboot --wave 1 "$FL/inv-up" 2>"$FL/err"); rc=$?
printf '%s\n' "$res" >"$FL/summary-upgrade.txt"
echo "$res" | sed 's/^/# /'
t_eq "upgrade --reboot --wave 1: exit 0" 0 "$rc"
[ "$rc" = 0 ] || tail -20 "$FL/err" "$FL/up/ready/log" "$FL/up/ready/progress.jsonl" "$FL/ready/reboots.log" | sed 's/^/# /'

t_eq "the host is upgraded" upgraded "$(jq -r '.hosts[0].state' "$FL/up/summary.json")"
t_check "it runs the target release" grep -q '^VERSION_ID="\?9' "$READY/etc/os-release"
t_done

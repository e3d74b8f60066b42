#!/bin/bash
# The network: an actor that does not declare network connects to a TCP listener on 127.0.0.1
# that this test runs; the connection fails and the listener sees nothing. An actor that declares
# network reaches it (so the test can fail).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../engine/lib-engine.sh"
. "$(dirname "$0")/lib-sandbox.sh"

tmp=$(t_tmpdir)
"$T_BUILD/tests/tcplisten" "$tmp/port" "$tmp/count" &
lpid=$!
T_CLEANUP_HOOK="kill $lpid 2>/dev/null; wait $lpid 2>/dev/null"
for _ in $(seq 100); do [ -s "$tmp/port" ] && break; sleep 0.05; done
port=$(cat "$tmp/port")
t_check "the listener is up" test -n "$port"
t_check "the listener answers the host" bash -c "exec 3<>/dev/tcp/127.0.0.1/$port"
sleep 0.2
t_eq "the listener counted the host's connection" 1 "$(cat "$tmp/count")"

root=$(sb_root)
mk_hostile "$root" net_none FactsCollection connect "127.0.0.1:$port"
mk_hostile "$root" net_none2 FactsCollection connect "127.0.0.1:$port"
mk_hostile "$root" net_unshare FactsCollection syscall unshare_net
mk_hostile "$root" net_declared Checks connect "127.0.0.1:$port" "sandbox: {network: true}" ok
mk_actor "$root" good FactsCollection chain "" TestValue
leapp_run "$root" preupgrade --jobs 3
t_eq "the run completes (with errors)" 1 "$E_RC"
check_hostile "$root" net_none "Network is unreachable"
check_hostile "$root" net_none2 "Network is unreachable"
check_hostile "$root" net_unshare "Operation not permitted"
sleep 0.2
t_eq "the listener saw nothing from the sandboxed actors" 1 "$(cat "$tmp/count")"
t_eq "the good actor's message is intact" 1 "$(committed_count "$root" good)"

# the same run without the failing actors: the one that declares network gets through
rm -rf "$root/etc/leapp/repos.d/test/actors/net_none" "$root/etc/leapp/repos.d/test/actors/net_none2" \
	"$root/etc/leapp/repos.d/test/actors/net_unshare"
leapp_run "$root" preupgrade
t_eq "with network declared the run succeeds" 0 "$E_RC"
t_eq "net_declared connected" "connected" "$(produced_by "$root" net_declared)"
sleep 0.2
t_eq "the listener saw the declared actor" 2 "$(cat "$tmp/count")"
no_leftovers "test-net"
t_done

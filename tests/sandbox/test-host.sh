#!/bin/bash
# What an actor starts with: its own mount, pid, ipc and uts namespaces and its phase's network
# namespace; only fds 0-3; a clean environment; a private /dev, /tmp and /run; its scratch dir as
# working directory. --no-sandbox is a warning recorded in the report; a run as non-root says why
# it cannot sandbox; a sanitizer build records what it relaxes.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../engine/lib-engine.sh"
. "$(dirname "$0")/lib-sandbox.sh"

rm -f /tmp/leapp-hostile-marker # what an unsandboxed run would have left
root=$(sb_root)
mk_hostile "$root" look1 FactsCollection inspect ""
mk_hostile "$root" look2 FactsCollection inspect "" "stage: after"
mk_hostile "$root" look3 Checks inspect ""
SECRET_TOKEN=do-not-pass leapp_run "$root" preupgrade
t_eq "the run succeeds" 0 "$E_RC"
get() { produced_by "$root" "$1" | sed -n "s/^$2=//p"; }
host_ns=$(for k in mnt pid ipc uts net; do readlink /proc/self/ns/$k; done | xargs)
read -r -a h <<<"$host_ns"
read -r -a a1 <<<"$(get look1 ns)"
read -r -a a2 <<<"$(get look2 ns)"
read -r -a a3 <<<"$(get look3 ns)"
names=(mount pid ipc uts network)
for i in 0 1 2 3 4; do
	t_check "look1: its own ${names[$i]} namespace" test -n "${a1[$i]}" -a "${a1[$i]}" != "${h[$i]}"
done
for i in 0 1 2 3; do
	t_check "look2: a ${names[$i]} namespace of its own, not look1's" test -n "${a2[$i]}" -a "${a2[$i]}" != "${a1[$i]}"
done
t_eq "look2: the network namespace of its phase, shared with look1" "${a1[4]}" "${a2[4]}"
t_check "look3: another phase, another network namespace" test -n "${a3[4]}" -a "${a3[4]}" != "${a1[4]}"
t_eq "the actor is pid 2 (the sandbox's init is 1)" 2 "$(get look1 pid)"
t_eq "only fds 0-3 are open" 4 "$(get look1 fds)"
bad_env=$(get look1 env | tr , '\n' | grep -v -E '^(PATH|LANG|HOME|TMPDIR|LEAPP_[A-Z_]+|(A|UB|L)SAN_OPTIONS)$' || true)
t_eq "the environment holds PATH, LANG, HOME, TMPDIR and LEAPP_* only" "" "$bad_env"
t_eq "a private /dev with null, zero, full, random, urandom and tty only" "null,zero,full,random,urandom,tty" "$(get look1 dev)"
t_eq "the hostname is the host's" "$(hostname)" "$(get look1 hostname)"
t_eq "the working directory is the scratch directory" "$root/var/lib/leapp/scratch/look1" "$(get look1 cwd)"
t_eq "/tmp is writable" yes "$(get look1 tmp-writable)"
t_eq "/tmp is private: look2 does not see what look1 left there" absent "$(get look2 tmp-marker)"
t_check "nor does the host" test ! -e /tmp/leapp-hostile-marker

# --no-sandbox: a warning, recorded on the execution and in the report
leapp_run "$root" preupgrade --no-sandbox
t_eq "--no-sandbox runs" 0 "$E_RC"
case "$E_OUT" in *"--no-sandbox"*) t_ok "--no-sandbox prints a warning" ;; *) t_fail "--no-sandbox prints a warning" "$E_OUT" ;; esac
t_eq "--no-sandbox is recorded on the execution" 1 \
	"$(db "$root" "select json_extract(config, '\$.no_sandbox') from executions order by id desc limit 1")"
t_check "--no-sandbox is in the report" grep -q "without the sandbox" "$root/var/log/leapp/leapp-report.txt"
read -r -a n1 <<<"$(get look1 ns)"
t_eq "--no-sandbox: the actor shares the host's mount namespace" "${h[0]}" "${n1[0]}"
rm -f /tmp/leapp-hostile-marker

# a sanitizer build relaxes the address-space limit and ptrace, and records it
if strings "$T_LEAPP" | grep -q __asan_init; then
	leapp_run "$root" preupgrade
	t_eq "the sanitizer build records what the sandbox relaxes" '["address-space limit (RLIMIT_AS)","ptrace"]' \
		"$(db "$root" "select json_extract(config, '\$.sandbox_relaxed') from executions order by id desc limit 1")"
else
	leapp_run "$root" preupgrade
	t_eq "an ordinary build relaxes nothing" "" \
		"$(db "$root" "select json_extract(config, '\$.sandbox_relaxed') from executions order by id desc limit 1")"
fi

# not root: a clear message naming what is missing, before any actor runs
nr=$(mk_root)
mk_hostile "$nr" look FactsCollection inspect ""
mkdir -p "$nr/var/lib/leapp" "$nr/var/log/leapp"
chown -R 65534:65534 "$nr"
chmod 755 "$(dirname "$nr")" 2>/dev/null
out=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$T_LEAPP" preupgrade --root "$nr" 2>&1); rc=$?
t_eq "as non-root the run fails" 1 "$rc"
case "$out" in *"sandbox needs root"*) t_ok "and says the sandbox needs root" ;; *) t_fail "and says the sandbox needs root" "$out" ;; esac
no_leftovers "test-host"
t_done

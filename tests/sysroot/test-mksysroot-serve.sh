#!/bin/bash
# san: skip (scripts/mksysroot is Python; the sanitizer build changes nothing it runs)
# serve-repos: serves OUTDIR/repos over http on 127.0.0.1, and stops cleanly.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/sysroot-lib.sh"

sr_tmpdir
out=$tmp/minimal
SERVE=$T_TOP/scripts/sysroot/serve-repos
if ! sr_build minimal "$out"; then
	t_fail "mksysroot minimal builds" "$(tail -20 "$out.log")"; t_done; exit 1
fi
T_CLEANUP_HOOK="'$SERVE' --stop '$out' 2>/dev/null"

url=$("$SERVE" --daemon "$out")
if [[ "$url" =~ ^http://127\.0\.0\.1:[0-9]+/repos$ ]]; then
	t_ok "serve-repos --daemon prints a 127.0.0.1 base URL ($url)"
else
	t_fail "serve-repos --daemon prints a base URL" "got: $url"; t_done; exit 1
fi
pid=$(cat "$out/.serve-repos.pid" 2>/dev/null)
get() { "$SR_PY" -c 'import sys, urllib.request; sys.stdout.buffer.write(urllib.request.urlopen(sys.argv[1], timeout=10).read())' "$1"; }
t_check "it serves repomd.xml of every target repo, byte for byte" bash -c "
	for r in '$out'/repos/*/; do
		r=\$(basename \$r)
		cmp <($(declare -f get); SR_PY=$SR_PY; get '$url/'\$r/repodata/repomd.xml) '$out/repos/'\$r/repodata/repomd.xml || exit 1
	done"
pkg=$(cd "$out/repos" && ls almalinux9-baseos/Packages/bash-*.rpm)
t_check "it serves a package" cmp <(get "$url/$pkg") "$out/repos/$pkg"
t_check "serve-repos.repo lists the repos with http baseurls" grep -qx "baseurl=$url/almalinux9-baseos" "$out/serve-repos.repo"
port=${url#http://127.0.0.1:}; port=${port%%/*}
t_check "it listens on 127.0.0.1 only" bash -c "ss -Hltn 'sport = :$port' | awk '{print \$4}' | grep -qx '127.0.0.1:$port'"
"$SERVE" --stop "$out"
t_check "--stop ends the server process" bash -c "! kill -0 $pid 2>/dev/null"
t_check "and removes its pid file and repo file" bash -c "[ ! -e '$out/.serve-repos.pid' ] && [ ! -e '$out/serve-repos.repo' ]"
t_check "nothing answers on the port any more" bash -c "! $SR_PY -c 'import urllib.request; urllib.request.urlopen(\"$url/\", timeout=2)' 2>/dev/null"

# foreground mode: first stdout line is the URL; SIGTERM stops it
exec 3< <("$SERVE" "$out")
fg_pid=$!
read -r -t 10 furl <&3
t_check "foreground mode prints the URL first and serves" bash -c "[ -n '$furl' ] && $SR_PY -c 'import urllib.request; urllib.request.urlopen(\"$furl/almalinux9-baseos/repodata/repomd.xml\", timeout=5)'"
kill "$fg_pid" 2>/dev/null
for _ in $(seq 50); do kill -0 "$fg_pid" 2>/dev/null || break; sleep 0.1; done
t_check "foreground mode stops on SIGTERM" bash -c "! kill -0 $fg_pid 2>/dev/null"
exec 3<&-

t_done

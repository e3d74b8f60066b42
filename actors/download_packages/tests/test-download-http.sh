#!/bin/bash
# Downloads over http on 127.0.0.1 (the demo repos served by scripts/sysroot/serve-repos and by
# tests/download/httpd.py), with download_packages run sandboxed as in the Download phase:
# a package corrupted on purpose is caught (an error naming it and the URL, no file under a
# final name), retries with backoff, an unreachable server times out with an error naming the
# URL, a partial file is resumed (or fetched whole from a server without ranges), mirrorlists
# and the next baseurl, and a full disk (before and during the download) leaves nothing
# half-written.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/download/lib-download.sh"

d_init
d_sysroot demo demo || { t_fail "mksysroot demo"; t_done; exit 1; }
OUT=$D_DIR/demo
R=$(d_root demo)
CACHE=$R/var/lib/leapp/packages
d_leapp demo preupgrade
t_eq "preupgrade exits 0" 0 "$D_RC"
d_probe demo
want=$(d_msgr demo PlannedTransaction '[.items[] | select(.action == "install" or .action == "upgrade" or .action == "downgrade")] | length')
T_CLEANUP_HOOK='d_cleanup; "$T_TOP/scripts/sysroot/serve-repos" --stop "$OUT" >/dev/null 2>&1'

# input: the plan with http baseurls (BASE/<repoid>), and a configuration
mk_in() { # FILE BASE [CONFIG-JSON]
	d_input demo "$1" ".repos |= map(.baseurl = [\"$2/\" + .repoid])"
	[ -n "${3:-}" ] && jq --argjson c "$3" '. + {config: $c}' "$1" >"$1.tmp" && mv "$1.tmp" "$1"
	return 0
}
out() { jq -r "$1" "$D_DIR/demo.actor.json"; }
err_text() { jq -r '[.errors[]? | "\(.title) \(.summary)"] | join(" ")' "$D_DIR/demo.actor.json"; }

# --- serve-repos: the whole plan over http
base=$("$T_TOP/scripts/sysroot/serve-repos" --daemon "$OUT")
t_check "serve-repos answers" test -n "$base"
mk_in "$D_DIR/in-http.json" "$base"
d_actor demo download_packages --input "$D_DIR/in-http.json"
t_eq "download over http succeeds" 0 "$D_RC" || cat "$D_DIR/demo.actor.err"
t_eq "every package fetched from 127.0.0.1" "$want" \
	"$(out "[.messages[0].data.packages[] | select(.url | startswith(\"$base/\"))] | length")"
t_eq "downloaded count" "$want" "$(out '.messages[0].data.downloaded')"
bad=0
while read -r path sum; do [ "$(d_sha256 "$path")" = "$sum" ] || bad=$((bad + 1)); done \
	< <(out '.messages[0].data.packages[] | "\(.path) \(.checksum)"')
t_eq "the files match the repository checksums" 0 "$bad"
t_eq "no partial file" "" "$(d_parts "$CACHE")"

# a server without byte ranges (serve-repos) and a partial file: fetched whole again
k=$(out '.messages[0].data.packages[] | select(.name == "kernel-core") | .path')
ksum=$(out '.messages[0].data.packages[] | select(.name == "kernel-core") | .checksum')
ksize=$(stat -c %s "$k")
head -c $((ksize / 2)) "$k" >"$k.part"
rm -f "$k"
d_actor demo download_packages --input "$D_DIR/in-http.json"
t_eq "a server without ranges: the partial file is fetched whole" "0 $ksum" "$D_RC $(d_sha256 "$k")"
t_check "it says so" grep -q "cannot resume; fetching it whole" <<<"$(out '[.logs[].message] | join("\n")')"

# --- a package corrupted on purpose on the server
rm -rf "$CACHE"
victim=$OUT/repos/almalinux9-appstream/Packages/$(basename "$(out '.messages[0].data.packages[] | select(.name == "s-nail") | .location')")
cp "$victim" "$D_DIR/victim.bak"
printf 'CORRUPT' | dd of="$victim" bs=1 seek=2000 conv=notrunc status=none
d_actor demo download_packages --input "$D_DIR/in-http.json"
t_eq "a corrupted package fails the download" 1 "$D_RC"
e=$(err_text)
t_check "the error names the package" grep -q "s-nail-14.9.22-6.el9.x86_64" <<<"$e"
t_check "the error names the URL" grep -q "$base/almalinux9-appstream/Packages/s-nail" <<<"$e"
t_check "the error says checksum mismatch" grep -q "checksum mismatch" <<<"$e"
t_eq "no file of it under its final name, nor a partial one" "" "$(find "$CACHE" -name 's-nail*')"
cp "$D_DIR/victim.bak" "$victim"
"$T_TOP/scripts/sysroot/serve-repos" --stop "$OUT" >/dev/null 2>&1

# --- retries with backoff: the first two requests of each file get 503
rm -rf "$CACHE"
d_httpd flaky "$OUT" --fail 2
mk_in "$D_DIR/in-flaky.json" "http://127.0.0.1:$D_PORT/repos" '{"retries": 3, "retry_delay": 0.1, "parallel": 1}'
d_actor demo download_packages --input "$D_DIR/in-flaky.json"
t_eq "503s are retried, then it succeeds" 0 "$D_RC" || cat "$D_DIR/demo.actor.err"
t_eq "the server saw two 503s per file" $((2 * want)) "$(grep -c ' 503$' "$D_DIR/flaky.httpd.log")"
t_check "the retries are logged with their delay" grep -q "HTTP error 503; retry 2 of 3 in 0.2 s" <<<"$(out '[.logs[].message] | join("\n")')"

# --- resume with a range request
k=$(out '.messages[0].data.packages[] | select(.name == "kernel-core") | .path')
head -c $((ksize / 3)) "$k" >"$k.part"
rm -f "$k"
: >"$D_DIR/flaky.httpd.log"
d_actor demo download_packages --input "$D_DIR/in-flaky.json"
t_eq "the partial file is resumed" "0 $ksum" "$D_RC $(d_sha256 "$k")"
t_check "with a range request (206)" grep -q "kernel-core.*bytes=$((ksize / 3))- 206" "$D_DIR/flaky.httpd.log"
t_check "resuming is logged" grep -q "resuming at byte $((ksize / 3))" <<<"$(out '[.logs[].message] | join("\n")')"
t_eq "only that one was fetched" 1 "$(out '.messages[0].data.downloaded')"

# --- mirrorlists, and the next baseurl when the first fails
rm -rf "$CACHE"
for r in $(jq -r '.repos | keys[]' "$OUT/manifest.json"); do
	printf '# mirrors\n\nhttp://127.0.0.1:%s/repos/%s\n' "$D_PORT" "$r" >"$D_DIR/mirror-$r.txt"
done
d_input demo "$D_DIR/in-ml.json" ".repos |= map(.baseurl = [] | .mirrorlist = \"file://$D_DIR/mirror-\" + .repoid + \".txt\")"
d_actor demo download_packages --input "$D_DIR/in-ml.json"
t_eq "a mirrorlist gives the URLs" "0 $want" "$D_RC $(out "[.messages[0].data.packages[] | select(.url | startswith(\"http://127.0.0.1:$D_PORT/\"))] | length")"
rm -rf "$CACHE"
d_input demo "$D_DIR/in-fo.json" ".repos |= map(.baseurl = [\"http://127.0.0.1:1/nothing/\" + .repoid, \"http://127.0.0.1:$D_PORT/repos/\" + .repoid])"
jq '. + {config: {retries: 0}}' "$D_DIR/in-fo.json" >"$D_DIR/in-fo2.json"
d_actor demo download_packages --input "$D_DIR/in-fo2.json"
t_eq "a dead first baseurl: the next one serves" "0 $want" "$D_RC $(out "[.messages[0].data.packages[] | select(.url | startswith(\"http://127.0.0.1:$D_PORT/\"))] | length")"

# --- an unreachable server: a timeout, then an error naming the URL
rm -rf "$CACHE"
d_httpd hang "$OUT" --hang
mk_in "$D_DIR/in-hang.json" "http://127.0.0.1:$D_PORT/repos" '{"retries": 1, "retry_delay": 0.2, "timeout": 2}'
t0=$SECONDS
d_actor demo download_packages --input "$D_DIR/in-hang.json"
took=$((SECONDS - t0))
t_eq "an unreachable server fails the download" 1 "$D_RC"
e=$(err_text)
t_check "the error names the URL" grep -q "http://127.0.0.1:$D_PORT/repos/" <<<"$e"
t_check "the error says it timed out, after 2 attempts" grep -qi "timed out.*after 2 attempts" <<<"$e"
t_check "it gave up after the timeout and one retry (4-20 s, took ${took}s)" test "$took" -ge 4 -a "$took" -le 20

# --- a full disk: too small before the download (checked first), nothing written
rm -rf "$CACHE"
mkdir -p "$CACHE"
mount -t tmpfs -o size=2m tmpfs "$CACHE"
d_actor demo download_packages --input "$D_DIR/in-flaky.json"
t_eq "a cache too small fails at once" 1 "$D_RC"
t_check "the error says how much space is needed, and where" grep -q "not enough space to download the packages: .* needed in $CACHE, .* free" <<<"$(err_text)"
t_eq "no file written" "" "$(find "$CACHE" -type f)"
umount "$CACHE"

# --- a full disk during the download: every partial file removed
mount -t tmpfs -o size=48m tmpfs "$CACHE"
d_httpd slow "$OUT" --delay 0.01
mk_in "$D_DIR/in-slow.json" "http://127.0.0.1:$D_PORT/repos" '{"retries": 0, "parallel": 2}'
LEAPP_ACTORS_DIR=$D_DIR/actors "$T_LEAPP" actor run download_packages --root "$R" --input "$D_DIR/in-slow.json" \
	>"$D_DIR/demo.actor.json" 2>"$D_DIR/demo.actor.err" &
apid=$!
kpart=$CACHE/almalinux9-baseos/$(d_msgr demo PlannedTransaction '.items[] | select(.name == "kernel-core") | .location').part
for i in $(seq 200); do
	[ "$(stat -c %s "$kpart" 2>/dev/null || echo 0)" -gt 2000000 ] && break
	sleep 0.05
done
t_check "the kernel package is being downloaded" test -s "$kpart"
dd if=/dev/zero of="$CACHE/filler" bs=1M status=none 2>/dev/null
wait "$apid"
D_RC=$?
rm -f "$CACHE/filler"
t_eq "running out of space fails the download" 1 "$D_RC"
t_check "the error says no space is left, and where" grep -q "no space left on the filesystem of $CACHE" <<<"$(err_text)"
t_eq "no partial file is left" "" "$(d_parts "$CACHE")"
t_eq "the kernel package is not under its final name" "" "$(find "$CACHE" -name 'kernel-core*')"
umount "$CACHE"
t_done

#!/bin/bash
# --root / (the production case), in a private mount namespace of this test with tmpfs on leapp's
# directories: the host's / is read-only for the actors, leapp's directories are writable, and an
# actor that declares host_mountinfo gets the host's mountinfo, captured before sandboxing.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../engine/lib-engine.sh"
. "$(dirname "$0")/lib-sandbox.sh"

tmp=$(t_tmpdir)
sb_outside
out=$SB_OUT # a file on the host's root filesystem
created=()
for d in /etc/leapp /var/lib/leapp /var/log/leapp; do
	[ -d "$d" ] || { mkdir -p "$d" && created+=("$d"); }
done
T_CLEANUP_HOOK="${T_CLEANUP_HOOK}; rmdir ${created[*]} 2>/dev/null; true"
cat >"$tmp/inner.sh" <<INNER
set -e
for d in /etc/leapp /var/lib/leapp /var/log/leapp; do mount -t tmpfs -o size=64m leapp-sbx-rootfs "\$d"; done
mkdir -p /etc/leapp/repos.d/test/models /etc/leapp/repos.d/test/actors "$tmp/empty"
cp "$T_BUILD/tests/models/test.yaml" /etc/leapp/repos.d/test/models/
. "$T_TOP/tests/lib.sh"
. "$T_TOP/tests/sandbox/lib-sandbox.sh"
mk_hostile / w_host FactsCollection write "$out/target"
mk_hostile / ok_state FactsCollection must-write /var/lib/leapp/ok_state/ok-state-file "sandbox: {writes: [/var/lib/leapp/ok_state]}"
mk_hostile / info FactsCollection hostinfo "" "sandbox: {host_mountinfo: true}"
mk_hostile / noinfo FactsCollection hostinfo ""
set +e
LEAPP_ACTORS_DIR="$tmp/empty" "$T_LEAPP" preupgrade --root / >"$tmp/out" 2>&1
echo \$? >"$tmp/rc"
cp /var/lib/leapp/leapp.db "$tmp/leapp.db"
ls /var/lib/leapp/ok_state >"$tmp/state-files"
INNER
before=$(sha256sum "$out/target")
unshare -m --propagation private bash "$tmp/inner.sh"
t_eq "the run completes (with errors)" 1 "$(cat "$tmp/rc")"
mkdir -p "$tmp/r/var/lib/leapp" && mv "$tmp/leapp.db" "$tmp/r/var/lib/leapp/"
root=$tmp/r
check_hostile "$root" w_host "Read-only file system"
t_eq "the host file is unchanged" "$before" "$(sha256sum "$out/target")"
t_eq "a declared subdirectory of leapp's state directory is writable" 0 "$(errors_of "$root" ok_state)"
t_check "ok_state wrote its file" grep -qx ok-state-file "$tmp/state-files"
t_eq "an actor that declares host_mountinfo gets it" \
	"host-mountinfo=yes host-root=rw own-root=ro" "$(produced_by "$root" info | xargs)"
t_eq "an actor that does not, does not" "host-mountinfo=no host-root=absent own-root=ro" "$(produced_by "$root" noinfo | xargs)"
for d in "${created[@]}"; do rmdir "$d"; done
T_CLEANUP_HOOK=${T_CLEANUP_HOOK%%; rmdir*}
t_check "nothing is left mounted on leapp's directories" bash -c "! grep -q leapp-sbx-rootfs /proc/self/mountinfo"
no_leftovers "test-rootfs"
t_done

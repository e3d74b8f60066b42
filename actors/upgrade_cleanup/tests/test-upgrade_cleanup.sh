#!/bin/bash
# upgrade_cleanup (FirstBoot), run alone with `leapp actor run`: removes the target userspace
# (and a half-made .new one), the package cache, the transaction test's rpmdb copy and the
# upgrade kernel and initramfs left in /boot, reports what went; keeps leapp's database,
# /var/log/leapp, the system's own kernels, and anything outside /var/lib/leapp a message names.
# Nothing left: it says so and reports nothing.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
R=$F_DIR/root
L=/var/lib/leapp
mkdir -p "$R$L/el9userspace/usr/bin" "$R$L/el9userspace.new" "$R$L/packages/baseos" "$R$L/transaction-test" \
	"$R/var/log/leapp" "$R/boot" "$R/etc" "$R/srv/keep"
head -c 65536 /dev/zero >"$R$L/el9userspace/usr/bin/bash"
head -c 4096 /dev/zero >"$R$L/packages/baseos/bash-5.1.8-9.el9.x86_64.rpm"
echo log >"$R/var/log/leapp/leapp-upgrade.log"
for f in vmlinuz-upgrade.x86_64 initramfs-upgrade.x86_64.img .vmlinuz-upgrade.x86_64.hmac vmlinuz-5.14.0-570.el9.x86_64; do
	echo x >"$R/boot/$f"
done
US='{"path":"'"$R$L"'/el9userspace","path_in_root":"/var/lib/leapp/el9userspace","target_major":9,"packages":[]}'
DP='{"cache_dir":"'"$R$L"'/packages","cache_dir_in_root":"/var/lib/leapp/packages","packages":[]}'
mk_input "$F_DIR/in.json" "$(ipu 8.10 9.6)" TargetUserSpaceInfo "$US" DownloadedPackages "$DP"
leapp_actor_run upgrade_cleanup "$R" "$F_DIR/in.json"
t_eq "runs" 0 "$A_RC" "$(a_errors; echo "$A_ERR")"
t_eq "what is left of /var/lib/leapp: the database and the actors' scratch" "leapp.db leapp.lock scratch" \
	"$(ls "$R$L" | grep -v -- -journal | tr '\n' ' ' | sed 's/ $//')"
t_eq "the system's kernel stays, the upgrade's go" "vmlinuz-5.14.0-570.el9.x86_64" "$(ls -A "$R/boot")"
t_check "the logs stay" test -f "$R/var/log/leapp/leapp-upgrade.log"
S=$(printf '%s' "$A_OUT" | jq -r '.reports[] | select(.title == "The upgrade'"'"'s temporary files were removed") | .summary')
t_check "the entry lists the userspace and its size" grep -q -- "- /var/lib/leapp/el9userspace (the target userspace, 0.1 MiB)" <<<"$S"
t_check "the entry lists the package cache" grep -q -- "- /var/lib/leapp/packages (the downloaded packages" <<<"$S"
t_check "the entry lists the upgrade kernel" grep -q -- "- /boot/vmlinuz-upgrade.x86_64" <<<"$S"

# a message naming a path outside /var/lib/leapp: not touched
DP2='{"cache_dir":"/srv/keep","cache_dir_in_root":"/srv/keep","packages":[]}'
mk_input "$F_DIR/out.json" "$(ipu 8.10 9.6)" DownloadedPackages "$DP2"
leapp_actor_run upgrade_cleanup "$R" "$F_DIR/out.json"
t_eq "again: runs" 0 "$A_RC" "$(a_errors; echo "$A_ERR")"
t_check "a cache_dir outside /var/lib/leapp is left alone" test -d "$R/srv/keep"
t_eq "again: nothing left, no report" 0 "$(printf '%s' "$A_OUT" | jq '.reports | length')"
t_check "again: it says there is nothing to clean up" grep -q "nothing left to clean up" <<<"$(a_logs info)"
t_done

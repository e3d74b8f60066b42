#!/bin/bash
# Live mode's configuration (issue 10, item 1) and the checks before the image is made (item 2):
# the bad configurations stop leapp before any actor starts, naming the file, line and key (a
# wrong type, a dracut_network that is not ip=..., a URL without dracut_network, an
# authorized_keys file that does not exist); the seed's names are accepted; an unknown key is a
# warning; the scanner runs only with the feature and LEAPP_UNSUPPORTED=1; a missing mksquashfs
# is an error naming squashfs-tools; the scanner's own checks (the image below /var/lib/leapp,
# the packages, a URL, the filesystem holding the image and its UUID); the reporter's disk and
# memory figures and inhibitors; the kernel arguments; a requested package the target
# repositories lack fails the upgrade naming it.
. "$(dirname "$0")/../../tests/lib.sh"
. "$(dirname "$0")/lib-livemode.sh"
export LEAPP_UNSUPPORTED=1 LEAPP_DEVEL_USE_HOST_DRACUT=1

lm_demo || { t_fail "mksysroot demo"; t_done; exit 1; }
ROOTUUID=$(lm_manifest 'm["storage"]["root"]["uuid"]')
F=/etc/leapp/actor_conf.d/livemode.yaml

# expect_stop NAME YAML NEEDLE: leapp upgrade stops with NEEDLE before any actor ran
expect_stop() {
	lm_copy stop
	lm_conf "$R" livemode.yaml "$2"
	lm_run "$R" upgrade "${LM_FEATURE[@]}"
	local runs
	runs=$(lm_db "$R" "select count(*) from actor_runs" 2>/dev/null || echo 0)
	if [ "$LM_RC" -eq 1 ] && [[ "$LM_OUT" == *"$3"* ]] && [ "$runs" = 0 ]; then
		t_ok "$1"
	else
		t_fail "$1" "rc=$LM_RC, actor runs: $runs, expected: $3" "$(tail -5 <<<"$LM_OUT")"
	fi
}

expect_stop "a wrong type (boolean) stops leapp before any actor" $'livemode:\n  squashfs_image_path: /var/lib/leapp/live.img\n  setup_passwordless_root: maybe' \
	"$F:3: key 'livemode.setup_passwordless_root': expected true or false, got 'maybe'"
expect_stop "a wrong type (string) stops leapp before any actor" $'livemode:\n  dracut_network: [ip=dhcp]' \
	"$F:2: key 'livemode.dracut_network': expected string, got a list"
expect_stop "a dracut_network that is not ip=... stops leapp before any actor" $'livemode:\n  dracut_network: dhcp' \
	"$F:2: key 'livemode.dracut_network': 'dhcp' does not match '^ip='"
expect_stop "a URL without dracut_network (seed's name) stops leapp before any actor" \
	$'livemode:\n  setup_network_manager: true\n  url_to_load_squashfs_from: http://192.0.2.1/live-upgrade.img' \
	"$F:3: key 'livemode.url_to_load_squashfs_image_from': needs 'livemode.dracut_network' to be set too"
expect_stop "an authorized_keys file that does not exist (seed's name) stops leapp before any actor" \
	$'livemode:\n  setup_opensshd_with_auth_keys: /root/.ssh/authorized_keys' \
	"$F:2: key 'livemode.setup_opensshd_using_auth_keys': /root/.ssh/authorized_keys does not exist"
expect_stop "a wrong type of the strace file (seed's name) stops leapp before any actor" \
	$'livemode:\n  capture_upgrade_strace_into: {file: x}' \
	"$F:2: key 'livemode.capture_strace_info_into': expected string, got a map"

# ---- the scanner runs only with the feature and LEAPP_UNSUPPORTED=1; an unknown key warns ----
lm_copy gate
lm_conf "$R" livemode.yaml $'livemode:\n  autostart_upgrade_after_reboot: false'
lm_run "$R" preupgrade
t_eq "without the feature: preupgrade exits 0" 0 "$LM_RC"
t_eq "... and live mode stays off" null "$(lm_report "$R" ${K_LIVEMODE_ENABLED} severity)"
LM_OUT=$(env -u LEAPP_UNSUPPORTED "$T_LEAPP" preupgrade "${LM_FEATURE[@]}" --root "$R" 2>&1)
LM_RC=$?
t_eq "without LEAPP_UNSUPPORTED: preupgrade exits 0" 0 "$LM_RC"
t_eq "... and live mode stays off" null "$(lm_report "$R" ${K_LIVEMODE_ENABLED} severity)"
lm_run "$R" preupgrade "${LM_FEATURE[@]}"
t_eq "with both: preupgrade exits 0" 0 "$LM_RC"
t_eq "live mode is on, reported as high" high "$(lm_report "$R" ${K_LIVEMODE_ENABLED} severity)"
t_check "the report gives the image's space, its filesystem and UUID, and the memory" bash -c \
	"grep -q 'needs about 2048 MiB on the / filesystem (UUID $ROOTUUID)' <<<\"\$1\" && grep -q 'needs about 2048 MiB of memory; the machine has' <<<\"\$1\"" \
	_ "$(lm_report "$R" ${K_LIVEMODE_ENABLED} summary)"
t_eq "enough of both: no inhibitor" "null null" "$(lm_report "$R" ${K_LIVEMODE_DISK_SPACE} key) $(lm_report "$R" ${K_LIVEMODE_MEMORY} key)"
# an unknown key: a warning, the rest applies
lm_conf "$R" livemode.yaml $'livemode:\n  autostart_upgrade_after_reboot: false\n  no_such_option: 1'
rm -f "$R/var/log/leapp/leapp-preupgrade.log"
LM_OUT=$("$T_LEAPP" preupgrade "${LM_FEATURE[@]}" --root "$R" 2>&1)
LM_RC=$?
t_eq "an unknown key: preupgrade exits 0" 0 "$LM_RC"
t_check "... with a warning naming the file, line and key" \
	grep -q "$F:3: unknown key 'livemode.no_such_option'" <<<"$LM_OUT"
t_check "... and the known keys still apply (upgrade.autostart=0 is asked for)" \
	grep -q "livemode_kernel_cmdline: the live boot adds: .* upgrade.autostart=0" "$R/var/log/leapp/leapp-preupgrade.log"

# ---- the scanner alone (standalone: its config section as the broker gives it) ----
S=$(t_tmpdir)
lm_copy alone
"$T_LEAPP" actor run storage_scanner --root "$R" >"$S/storage.json" 2>/dev/null
jq '{messages: [.messages[] | {model, data}]}' "$S/storage.json" >"$S/in.json"
scan() { # CONFIG-JSON [PATH]: run the scanner; its JSON output in $OUT, exit code in $RC
	echo "$1" >"$S/cfg.json"
	OUT=$(PATH=${2:-$PATH} "$LM_ACTORS/livemode_config_scanner/livemode_config_scanner" --root "$R" --input "$S/in.json" \
		--config "$S/cfg.json" 2>/dev/null)
	RC=$?
}
err() { jq -r '.errors[0] | "\(.message): \(.details)"' <<<"$OUT"; }
msg() { jq -r "[.messages[] | select(.model == \"LiveModeConfig\")] | last | .data | $1" <<<"$OUT"; }
scan '{}'
t_eq "the defaults" "0 /var/lib/leapp/live-upgrade.img true [] /|$ROOTUUID|/var/lib/leapp|live-upgrade.img" \
	"$RC $(msg '"\(.squashfs_image_path) \(.autostart_upgrade_after_reboot) \(.additional_packages | tojson) \(.image_filesystem | "\(.mountpoint)|\(.uuid)|\(.dir)|\(.file)")"')"
mkdir -p "$S/nomksquashfs"
ln -s "$(command -v jq)" "$S/nomksquashfs/jq"
scan '{}' "$S/nomksquashfs"
t_eq "no mksquashfs: an error naming squashfs-tools" "1 yes" \
	"$RC $(err | grep -q 'mksquashfs is not installed: live mode needs squashfs-tools.*Install the squashfs-tools package' && echo yes)"
scan '{"additional_packages": "kbd, e2fsprogs,strace"}'
t_eq "additional_packages as the seed's string" '["kbd","e2fsprogs","strace"]' "$(msg '.additional_packages | tojson')"
scan '{"additional_packages": ["kbd", "strace"]}'
t_eq "additional_packages as a list" '["kbd","strace"]' "$(msg '.additional_packages | tojson')"
scan '{"additional_packages": {"kbd": 1}}'
t_eq "additional_packages of another type: an error naming the key" "1 livemode.additional_packages is not a list of packages" \
	"$RC $(jq -r '.errors[0].message' <<<"$OUT")"
scan '{"additional_packages": ["kbd", "a b"]}'
t_check "a package name with a space: an error naming it" grep -q "item 1 (\"a b\") is not a package name" <<<"$(err)"
scan '{"squashfs_image_path": "/srv/live.img"}'
t_check "an image outside /var/lib/leapp: an error (nothing else is writable before the reboot)" \
	grep -q "squashfs_image_path must be a file below /var/lib/leapp.*'/srv/live.img'" <<<"$(err)"
scan '{"squashfs_image_path": "/var/lib/leapp/el9userspace/live.img"}'
t_check "an image inside the target userspace: an error" grep -q "must not be inside the target userspace" <<<"$(err)"
scan '{"url_to_load_squashfs_image_from": "192.0.2.1/img", "dracut_network": "ip=dhcp"}'
t_check "a URL without a scheme dracut knows: an error" grep -q "is not a URL dracut can fetch" <<<"$(err)"
scan '{"capture_strace_info_into": "upgrade.strace"}'
t_check "a relative strace file: an error" grep -q "capture_strace_info_into must be an absolute path" <<<"$(err)"

# the filesystem that holds the image: from fstab (UUID= or libblkid), the longest mount point
jq --arg u 5d3c1f0e-9a47-4b7e-8f21-3c6d2e1a0b99 '.messages[0].data.fstab += [{source: "UUID=\($u)", target: "/var/lib",
	fstype: "ext4", options: "defaults", uuid: $u}, {source: "nfs.example:/leapp", target: "/var/lib/leapp/net", fstype: "nfs4",
	options: "defaults", network: true}, {source: "/dev/vdb1", target: "/var/lib/leapp/nouuid", fstype: "xfs", options: "defaults"}]' \
	"$S/in.json" >"$S/in2.json" && mv "$S/in2.json" "$S/in.json"
scan '{"squashfs_image_path": "/var/lib/leapp/images/live.img"}'
t_eq "the image on /var/lib: its UUID, the directory relative to it" "/var/lib 5d3c1f0e-9a47-4b7e-8f21-3c6d2e1a0b99 /leapp/images live.img" \
	"$(msg '.image_filesystem | "\(.mountpoint) \(.uuid) \(.dir) \(.file)"')"
scan '{"squashfs_image_path": "/var/lib/leapp/net/live.img"}'
t_check "an image on NFS: an error (dmsquash-live boots from a local filesystem)" grep -q "a network filesystem" <<<"$(err)"
scan '{"squashfs_image_path": "/var/lib/leapp/net/live.img", "url_to_load_squashfs_image_from": "http://192.0.2.1/live.img", "dracut_network": "ip=dhcp"}'
t_eq "... fine when the image is fetched from a URL" "0 null" "$RC $(msg '.image_filesystem')"
scan '{"squashfs_image_path": "/var/lib/leapp/nouuid/live.img"}'
t_check "a filesystem whose UUID is unknown (under --root): an error" grep -q "the UUID of /var/lib/leapp/nouuid (/dev/vdb1, holding" <<<"$(err)"

# ---- the reporter: not enough disk space or memory inhibits ----
rep() { # LIVEMODECONFIG-DATA MEMKIB
	jq -n --argjson c "$1" --argjson m "$2" '{messages: [{model: "LiveModeConfig", data: $c}, {model: "MemoryInfo", data: {mem_total_kib: $m}}]}' >"$S/rep.json"
	OUT=$("$LM_ACTORS/livemode_reporter/livemode_reporter" --root "$R" --input "$S/rep.json" 2>/dev/null)
}
rkeys() { jq -r '[.reports[] | .key] | sort | join(" ")' <<<"$OUT"; }
C='{"squashfs_image_path": "/var/lib/leapp/live-upgrade.img", "image_filesystem": {"mountpoint": "/", "source": "UUID=x", "fstype": "xfs", "uuid": "x", "dir": "/var/lib/leapp", "file": "live-upgrade.img"}}'
rep "$C" 8000000
t_eq "reporter: enough memory and disk" "${K_LIVEMODE_ENABLED}" "$(rkeys)"
rep "$C" 1000000
t_eq "reporter: 1 GB of memory inhibits" "$(k_sorted "$K_LIVEMODE_ENABLED" "$K_LIVEMODE_MEMORY")" "$(rkeys)"
rep "$(jq '. + {url_to_load_squashfs_image_from: "http://192.0.2.1/live.img"}' <<<"$C")" 3000000
t_eq "reporter: with a URL the image is in memory too: 3 GB inhibits" "$(k_sorted "$K_LIVEMODE_ENABLED" "$K_LIVEMODE_MEMORY")" "$(rkeys)"
t_check "... and says why" grep -q "about 4096 MiB of memory (the image is fetched into memory)" <<<"$(jq -r --arg k "$K_LIVEMODE_MEMORY" '.reports[] | select(.key == $k) | .summary' <<<"$OUT")"
mkdir -p "$R/var/lib/leapp"
mount -t tmpfs -o size=64m tmpfs "$R/var/lib/leapp"
rep "$C" 8000000
umount "$R/var/lib/leapp"
t_eq "reporter: 64 MiB free where the image goes inhibits" "$(k_sorted "$K_LIVEMODE_DISK_SPACE" "$K_LIVEMODE_ENABLED")" "$(rkeys)"
t_check "... naming the filesystem, its UUID and the free space" grep -q "needs about 2048 MiB on the / filesystem (UUID x), which has 6[0-9] MiB free" \
	<<<"$(jq -r --arg k "$K_LIVEMODE_DISK_SPACE" '.reports[] | select(.key == $k) | .summary' <<<"$OUT")"

# ---- the kernel arguments alone ----
args() { # LIVEMODECONFIG-DATA: the to_add arguments, then the to_remove keys
	jq -n --argjson c "$1" '{messages: [{model: "LiveModeConfig", data: $c}]}' >"$S/args.json"
	"$LM_ACTORS/livemode_kernel_cmdline/livemode_kernel_cmdline" --input "$S/args.json" 2>/dev/null |
		jq -r '.messages[0].data | ([.to_add[] | if .value == null then .key else "\(.key)=\(.value)" end] | join(" ")) + " | " + ([.to_remove[] | .key] | join(" "))'
}
t_eq "arguments: local boot" "rw root=live:UUID=x rd.live.dir=/var/lib/leapp rd.live.squashimg=live-upgrade.img | ro rhgb quiet rd.lvm.lv root" \
	"$(args "$C")"
t_eq "arguments: URL, network, autostart off, strace" \
	"rw root=live:nfs:192.0.2.1:/srv/live.img ip=192.0.2.7::192.0.2.1:255.255.255.0:demo::none nameserver=192.0.2.53 rd.neednet=1 upgrade.autostart=0 upgrade.strace=/var/lib/leapp/s.trace | ro rhgb quiet rd.lvm.lv root" \
	"$(args "$(jq '. + {url_to_load_squashfs_image_from: "nfs:192.0.2.1:/srv/live.img", dracut_network: "ip=192.0.2.7::192.0.2.1:255.255.255.0:demo::none  nameserver=192.0.2.53",
		autostart_upgrade_after_reboot: false, capture_strace_info_into: "/var/lib/leapp/s.trace"}' <<<"$C")")"

# ---- a requested package the target repositories lack fails the upgrade, naming it ----
lm_copy missing
lm_speed "$R"
lm_conf "$R" livemode.yaml $'livemode:\n  additional_packages: [kbd, no-such-package-in-el9]'
lm_run "$R" upgrade "${LM_FEATURE[@]}"
t_eq "a package the target repositories lack: leapp upgrade fails" 1 "$LM_RC"
t_check "... with an error naming it in the report" grep -q "package no-such-package-in-el9 is not available in the target repositories" \
	<(jq -r '.entries[] | select(.groups | index("error")) | .summary' "$R/var/log/leapp/leapp-report.json")
t_check "... and no live image is made" test ! -e "$R/var/lib/leapp/live-upgrade.img"
t_check "... nor a boot entry" bash -c "! ls '$R'/boot/loader/entries/*-upgrade.* 2>/dev/null"
t_done

#!/bin/bash
# Live mode (issue 10) on the demo system, for each configuration variant: default, URL plus
# network, sshd, passwordless root, strace, and autostart off (that one with the image on a
# separate /var filesystem, under a name of its own, and LVM arguments to remove). For each:
# `leapp upgrade --enable-experimental-feature livemode --root <demo>` really builds the squashfs
# (mksquashfs) and the live initramfs (the host's dracut, dmsquash-live); the image holds the
# upgrade unit, the console unit and the fstab (and the authorized_keys, sshd, strace unit,
# NetworkManager, the empty root password only when configured); the one-time upgrade entry
# boots the live initramfs with exactly the live arguments and the UUID of the filesystem that
# holds the image; then the simulated reboot into the live image: its own /usr/bin/upgrade runs
# its own leapp (upgrade --resume --root, the interim phases: the RPM transaction, Finalization),
# and the first boot of the upgraded system (leapp upgrade --resume, as leapp_resume.service runs
# it, with nothing in the environment) removes the image.
# Under the sanitizers only the default and the sshd + passwordless-root variants run (LM_VARIANTS):
# the same actors, a third of the time.
. "$(dirname "$0")/../../tests/lib.sh"
. "$(dirname "$0")/lib-livemode.sh"
export LEAPP_UNSUPPORTED=1 LEAPP_DEVEL_USE_HOST_DRACUT=1

ALL="default url sshd passwordless strace autostart"
if [ -z "${LM_VARIANTS:-}" ]; then
	case $(basename "$T_BUILD") in build-san) LM_VARIANTS="default sshd passwordless" ;; *) LM_VARIANTS=$ALL ;; esac
fi
lm_demo || { t_fail "mksysroot demo"; t_done; exit 1; }
ROOTUUID=$(lm_manifest 'm["storage"]["root"]["uuid"]')
SWAPUUID=$(lm_manifest 'm["storage"]["swap"]["uuid"]')
MID=$(lm_manifest 'm["machine_id"]')
TVER=$(lm_manifest 'm["target"]["version"]')
VARUUID=5d3c1f0e-9a47-4b7e-8f21-3c6d2e1a0b99
t_eq "the demo's kernel arguments (the entry starts from them)" \
	"root=UUID=$ROOTUUID ro crashkernel=auto resume=UUID=$SWAPUUID rhgb quiet" "$(lm_grubenv "$LM_SR/demo/root" kernelopts)"
# what every live entry keeps of them, and what add_upgrade_boot_entry always adds
BASE="crashkernel=auto resume=UUID=$SWAPUUID enforcing=0 rd.plymouth=0 plymouth.enable=0 rw"
LOCAL="root=live:UUID=$ROOTUUID rd.live.dir=/var/lib/leapp rd.live.squashimg=live-upgrade.img"

# ---- one variant: configure, leapp upgrade, check the image and the entry, boot it ----
variant() {
	local v=$1 conf=$2 want_args=$3 image=${4:-/var/lib/leapp/live-upgrade.img}
	lm_copy "$v"
	lm_speed "$R"
	lm_conf "$R" livemode.yaml "$conf"
	case $v in
	sshd)
		mkdir -p "$R/root/.ssh"
		echo "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKmTestKeyForTheLiveImage admin@example" >"$R/root/.ssh/authorized_keys"
		echo "not a real host key" >"$R/etc/ssh/ssh_host_ed25519_key"
		echo "ssh-ed25519 AAAAhostkey root@demo" >"$R/etc/ssh/ssh_host_ed25519_key.pub"
		;;
	autostart)
		# /var on its own filesystem, and LVM volumes named on the kernel command line
		printf 'UUID=%s /var ext4 defaults 1 2\n' "$VARUUID" >>"$R/etc/fstab"
		grub-editenv "$R/boot/grub2/grubenv" set \
			"kernelopts=root=UUID=$ROOTUUID ro crashkernel=auto rd.lvm.lv=almalinux/root resume=UUID=$SWAPUUID rd.lvm.lv=almalinux/swap rhgb quiet"
		;;
	esac
	local t0=$SECONDS
	lm_run "$R" upgrade "${LM_FEATURE[@]}"
	t_eq "$v: leapp upgrade exits 0" 0 "$LM_RC" || printf '%s\n' "$LM_OUT" | tail -30 | sed 's/^/#   /'
	echo "# $v: leapp upgrade (userspace, live initramfs, squashfs) took $((SECONDS - t0)) s"
	t_check "$v: a reboot is announced" grep -q "A reboot is required to continue" <<<"$LM_OUT"
	t_check "$v: the upgrade initramfs stepped aside" grep -q "upgrade_initramfs_generator: live mode is enabled" \
		"$R/var/log/leapp/leapp-upgrade.log"

	# the image
	local img=$R$image
	[ -s "$img" ] && t_ok "$v: mksquashfs made $image" || { t_fail "$v: mksquashfs made $image"; return; }
	echo "# $v: live image $(stat -c %s "$img") bytes"
	t_eq "$v: the image is root's only" 600 "$(stat -c %a "$img")"
	local L=$LM_SR/$v.list LL=$LM_SR/$v.ll
	lm_img_list "$img" >"$L"
	lm_img_ll "$img" >"$LL"
	has() { grep -qx "$1" "$L"; }
	link() { awk -v p="/$1" '$6 == p && $7 == "->" {print $8}' "$LL"; }
	t_check "$v: image: the upgrade unit" has usr/lib/systemd/system/upgrade.service
	t_eq "$v: image: ... enabled" /usr/lib/systemd/system/upgrade.service "$(link etc/systemd/system/multi-user.target.wants/upgrade.service)"
	t_eq "$v: image: ... ours" "$(cat "$T_TOP/livemode/files/upgrade.service")" "$(lm_img_cat "$img" usr/lib/systemd/system/upgrade.service)"
	t_check "$v: image: the console unit" has usr/lib/systemd/system/console.service
	t_eq "$v: image: ... enabled" /usr/lib/systemd/system/console.service "$(link etc/systemd/system/multi-user.target.wants/console.service)"
	t_check "$v: image: ... tail -f of the upgrade log on tty1" bash -c "grep -q '^ExecStart=/usr/bin/tail .*-f /sysroot/var/log/leapp/leapp-upgrade.log' <<<\"\$1\" && grep -qx 'TTYPath=/dev/tty1' <<<\"\$1\"" _ "$(lm_img_cat "$img" usr/lib/systemd/system/console.service)"
	t_eq "$v: image: gettys on tty2-4, not tty1" "getty@tty2.service getty@tty3.service getty@tty4.service" \
		"$(grep '^etc/systemd/system/getty.target.wants/' "$L" | xargs -n1 basename | paste -sd' ')"
	t_check "$v: image: the upgrade script" has usr/bin/upgrade
	t_eq "$v: image: ... with the upgrade initramfs's rollback, the same file" \
		"$(cat "$T_TOP/initramfs/85sys-upgrade-redhat/upgrade-rollback.sh")" "$(lm_img_cat "$img" usr/lib/leapp-upgrade/upgrade-rollback.sh)"
	t_check "$v: image: leapp and an interim actor" bash -c "grep -qx usr/bin/leapp '$L' && grep -qx usr/share/leapp/actors/rpm_upgrade/rpm_upgrade '$L'"
	t_check "$v: image: no actor of an earlier phase" bash -c "! grep -q usr/share/leapp/actors/prepare_live_image '$L'"
	t_eq "$v: image: /sysroot links to the mount root" /run/upgrade "$(link sysroot)"
	t_check "$v: image: no build areas" bash -c "! grep -Eq '^var/lib/leapp-(liveimage|initramfs)/' '$L'"
	t_eq "$v: image: the system's kernel command line (for the scriptlets)" "$(cat "$R/proc/cmdline")" \
		"$(lm_img_cat "$img" etc/leapp-live/system-cmdline)"
	t_check "$v: image: a banner in /etc/issue" grep -q "LEAPP LIVE UPGRADE MODE" <(lm_img_cat "$img" etc/issue)
	local fstab="UUID=$ROOTUUID /run/upgrade xfs defaults 0 0
UUID=$(lm_manifest 'm["storage"]["boot"]["uuid"]') /run/upgrade/boot xfs defaults 0 0
UUID=$SWAPUUID none swap defaults 0 0"
	[ "$v" = autostart ] && fstab="$fstab
UUID=$VARUUID /run/upgrade/var ext4 defaults 0 0"
	t_eq "$v: image: the fstab mounts the system below /run/upgrade, swap as it is" "$fstab" \
		"$(lm_img_cat "$img" etc/fstab | grep -v '^#')"
	local keys=no sshd=no strace=no nm=no
	has root/.ssh/authorized_keys && keys=yes
	[ -n "$(link etc/systemd/system/multi-user.target.wants/sshd.service)" ] && sshd=yes
	[ -n "$(link etc/systemd/system/multi-user.target.wants/upgrade-strace.service)" ] && strace=yes
	[ -n "$(link etc/systemd/system/multi-user.target.wants/NetworkManager.service)" ] && nm=yes
	local want_keys=no want_strace=no want_nm=no
	[ "$v" = sshd ] && want_keys=yes
	[ "$v" = strace ] && want_strace=yes
	[ "$v" = url ] && want_nm=yes
	t_eq "$v: image: authorized_keys and sshd only when set" "keys $want_keys sshd $want_keys" "keys $keys sshd $sshd"
	t_eq "$v: image: the strace unit only when set" "$want_strace" "$strace"
	t_eq "$v: image: NetworkManager only when set" "$want_nm" "$nm"
	local rootpw
	rootpw=$(lm_img_cat "$img" etc/passwd | awk -F: '$1 == "root" {print $2}')
	if [ "$v" = passwordless ]; then
		t_eq "$v: image: root has an empty password" "" "$rootpw"
		t_eq "$v: ... a high-severity warning in the report" high "$(lm_report "$R" ${K_LIVEMODE_PASSWORDLESS_ROOT} severity)"
	else
		t_eq "$v: image: root's password is not empty" x "$rootpw"
		t_eq "$v: ... no passwordless-root warning" null "$(lm_report "$R" ${K_LIVEMODE_PASSWORDLESS_ROOT} severity)"
	fi
	t_eq "$v: the report says live mode is on" high "$(lm_report "$R" ${K_LIVEMODE_ENABLED} severity)"

	local US=$R/var/lib/leapp/el9userspace
	usq() { rpm --root "$US" --dbpath /var/lib/rpm -q --qf '%{NAME}\n' "$@" 2>&1 | paste -sd' '; }
	t_eq "$v: the userspace has what a live system needs" "dracut-live dracut-squash systemd kexec-tools" \
		"$(usq dracut-live dracut-squash systemd kexec-tools)"
	case $v in
	sshd)
		t_eq "$v: image: root's authorized_keys, root's only" \
			"-rw------- $(cat "$R/root/.ssh/authorized_keys")" \
			"$(awk '$6 == "/root/.ssh/authorized_keys" {print $1}' "$LL") $(lm_img_cat "$img" root/.ssh/authorized_keys)"
		t_eq "$v: image: ... in a 0700 /root/.ssh" drwx------ "$(awk '$6 == "/root/.ssh" {print $1}' "$LL")"
		t_eq "$v: image: sshd enabled" /usr/lib/systemd/system/sshd.service "$(link etc/systemd/system/multi-user.target.wants/sshd.service)"
		t_eq "$v: image: the system's host keys (private 0600, public 0644)" "-rw------- -rw-r--r--" \
			"$(awk '$6 == "/etc/ssh/ssh_host_ed25519_key" {a=$1} $6 == "/etc/ssh/ssh_host_ed25519_key.pub" {b=$1} END {print a, b}' "$LL")"
		t_eq "$v: the userspace has openssh-server and the additional packages (\"kbd, e2fsprogs\")" \
			"openssh-server kbd e2fsprogs" "$(usq openssh-server kbd e2fsprogs)"
		;;
	strace)
		t_eq "$v: image: the strace unit" "$(cat "$T_TOP/livemode/files/upgrade-strace.service")" \
			"$(lm_img_cat "$img" usr/lib/systemd/system/upgrade-strace.service)"
		t_eq "$v: the userspace has strace" strace "$(usq strace)"
		;;
	url)
		t_eq "$v: the userspace has NetworkManager and dracut-network" "NetworkManager dracut-network" "$(usq NetworkManager dracut-network)"
		;;
	autostart)
		t_check "$v: the banner says how to start the upgrade" grep -q "upgrade.autostart=0: the upgrade does not start by itself" \
			<(lm_img_cat "$img" etc/issue)
		;;
	esac

	# the live initramfs and the entry
	local mods
	mods=$(lm_initrd_modules "$R/boot/initramfs-upgrade.x86_64.img")
	t_check "$v: the live initramfs contains dmsquash-live" grep -qx dmsquash-live <<<"$mods"
	if [ "$v" = url ]; then
		t_check "$v: ... and livenet" grep -qx livenet <<<"$mods"
	else
		t_check "$v: ... and no livenet" bash -c "! grep -qx livenet <<<\"\$1\"" _ "$mods"
	fi
	t_check "$v: ... and none of leapp's upgrade modules" bash -c "! grep -q sys-upgrade <<<\"\$1\"" _ "$mods"
	local E=$R/boot/loader/entries/$MID-upgrade.x86_64.conf
	# net_naming_scheme keeps the NIC names of release 8 in the upgrade environment too
	t_eq "$v: the entry's arguments" "options $BASE $want_args net.naming-scheme=rhel-8.0" "$(grep '^options ' "$E")"
	t_eq "$v: ... booting the target kernel and the live initramfs" "linux /vmlinuz-upgrade.x86_64|initrd /initramfs-upgrade.x86_64.img" \
		"$(grep '^linux ' "$E")|$(grep '^initrd ' "$E")"
	t_eq "$v: ... once (grubenv next_entry)" "$MID-upgrade.x86_64" "$(lm_grubenv "$R" next_entry)"

	# ---- the reboot into the live image: its upgrade script, its leapp ----
	local live=$LM_SR/$v.live args=()
	lm_live_fs "$img" "$live"
	[ "$v" = strace ] && args=(--strace)
	t0=$SECONDS
	lm_live_upgrade "$R" "$live" "$(grep '^options ' "$E" | cut -d' ' -f2-)" "${args[@]}"
	if ! t_eq "$v: the live system's upgrade exits 0" 0 "$LM_RC"; then
		# what failed first (the log's errors), then what the script printed
		grep -iE 'error|fail' "$R/var/log/leapp/leapp-upgrade.log" | tail -15 | sed 's/^/#   log: /'
		printf '%s\n' "$LM_OUT" | tail -30 | sed 's/^/#   /'
	fi
	echo "# $v: the interim phases from the live image took $((SECONDS - t0)) s"
	t_check "$v: ... with the image's leapp" grep -q "upgrade: $live/usr/bin/leapp upgrade --resume --root $R\$" <<<"$LM_OUT"
	t_eq "$v: ... its state: finished" finished "$(cat "$R/var/tmp/system-upgrade.state")"
	t_check "$v: ... the scriptlets see the system's kernel command line" grep -qx \
		"mount --bind $live/etc/leapp-live/system-cmdline $R/proc/cmdline" "$CALLS"
	t_check "$v: ... then the reboot" grep -qx "systemctl --no-block reboot" "$CALLS"
	t_check "$v: ... the target release is installed" grep -q "^VERSION_ID=\"\?$TVER" "$R/etc/os-release"
	t_check "$v: ... the upgrade entry is gone" test ! -e "$E"
	if [ "$v" = strace ]; then
		t_check "$v: ... under strace into /sysroot/<file>" grep -q -- "-o $R/var/lib/leapp/upgrade.strace " "$CALLS"
		t_check "$v: ... which wrote it" test -s "$R/var/lib/leapp/upgrade.strace"
	fi

	# ---- the first boot of the upgraded system: nothing in the environment ----
	LM_OUT=$(env -u LEAPP_UNSUPPORTED -u LEAPP_DEVEL_USE_HOST_DRACUT "$T_LEAPP" upgrade --resume --root "$R" 2>&1)
	LM_RC=$?
	t_eq "$v: the first boot's resume exits 0" 0 "$LM_RC" || printf '%s\n' "$LM_OUT" | tail -20 | sed 's/^/#   /'
	t_check "$v: ... and removes the live image" test ! -e "$img"
	t_check "$v: ... (remove_live_image ran)" grep -q "remove_live_image: removed the live image $image" "$R/var/log/leapp/leapp-upgrade.log"
}

for v in $LM_VARIANTS; do
	case $v in
	default) variant default 'livemode: {}' "$LOCAL" ;;
	url) variant url 'livemode:
  url_to_load_squashfs_from: http://192.0.2.1/live/live-upgrade.img
  dracut_network: "ip=dhcp nameserver=192.0.2.53"
  setup_network_manager: true' \
		"root=live:http://192.0.2.1/live/live-upgrade.img ip=dhcp nameserver=192.0.2.53 rd.neednet=1" ;;
	sshd) variant sshd 'livemode:
  setup_opensshd_with_auth_keys: /root/.ssh/authorized_keys
  additional_packages: "kbd, e2fsprogs"' "$LOCAL" ;;
	passwordless) variant passwordless 'livemode:
  setup_passwordless_root: true' "$LOCAL" ;;
	strace) variant strace 'livemode:
  capture_upgrade_strace_into: /var/lib/leapp/upgrade.strace' "$LOCAL upgrade.strace=/var/lib/leapp/upgrade.strace" ;;
	autostart) variant autostart 'livemode:
  autostart_upgrade_after_reboot: false
  squashfs_fullpath: /var/lib/leapp/images/live.img' \
		"root=live:UUID=$VARUUID rd.live.dir=/lib/leapp/images rd.live.squashimg=live.img upgrade.autostart=0" \
		/var/lib/leapp/images/live.img ;;
	esac
done
t_done

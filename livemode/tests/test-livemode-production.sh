#!/bin/bash
# Live mode's production path (no host tools: LEAPP_DEVEL_USE_HOST_DRACUT unset), under the
# broker in the phases' sandboxes, with a target userspace of stand-ins that record how they ran
# (initramfs/tests/lib-initramfs.sh): the live initramfs is built by the userspace's dracut,
# chrooted there, through the boot domain's dracut_build_run, with dmsquash-live and what
# UpgradeInitramfsTasks ask for but none of leapp's upgrade modules and no leapp payload in the
# initramfs; the upgrade initramfs generator steps aside; the live image carries the target
# build of leapp the userspace has (not this one); the failure flag of an earlier attempt goes.
. "$(dirname "$0")/../../tests/lib.sh"
. "$T_TOP/initramfs/tests/lib-initramfs.sh"
export LEAPP_UNSUPPORTED=1
unset LEAPP_DEVEL_USE_HOST_DRACUT

KVER=5.14.0-503.11.1.el9_5.x86_64
ir_sysroot demo || { t_fail "mksysroot demo"; t_done; exit 1; }
R=$IR_ROOT
US=$R/var/lib/leapp/el9userspace
ir_standin_userspace "$R" "$KVER"
printf 'root:x:0:0:root:/root:/bin/bash\n' >"$US/etc/passwd"
printf 'root:*:19000:0:99999:7:::\n' >"$US/etc/shadow"
ir_userspace_stub "$R" "$KVER"
ir_actors ipu_workflow_config storage_scanner livemode_config_scanner livemode_kernel_cmdline common_leapp_dracut_modules \
	upgrade_initramfs_generator prepare_live_image live_image_generator add_upgrade_boot_entry
T=$IR_SR/custom
mkdir -p "$T/95leapptest"
printf '#!/bin/bash\ncheck() { return 255; }\ninstall() { :; }\n' >"$T/95leapptest/module-setup.sh"
ir_shell_actor "$R" initramfs_request FactsCollection "" UpgradeInitramfsTasks "
leapp-msg produce UpgradeInitramfsTasks '{\"include_dracut_modules\": [{\"name\": \"leapptest\", \"module_path\": \"$T/95leapptest\"}],
  \"include_kernel_modules\": [{\"name\": \"virtio_blk\"}], \"include_files\": [\"/etc/leapp-extra.conf\"]}'"
mkdir -p "$R/etc/leapp/actor_conf.d"
printf 'livemode:\n  setup_passwordless_root: false\nlivemode_image:\n  mksquashfs_args: ["-comp", "lz4"]\n' \
	>"$R/etc/leapp/actor_conf.d/livemode.yaml"
echo "exit 1 at an earlier attempt" >"$R/var/lib/leapp/upgrade-initramfs.failed"
# what the live fstab leaves out, and a name with a space
cat >>"$R/etc/fstab" <<'FSTAB'
nfs.example:/export /mnt/nfs nfs4 defaults,_netdev 0 0
tmpfs /tmp tmpfs defaults 0 0
LABEL=my\040data /srv/my\040data ext4 noatime 0 2
FSTAB

ir_run "$R" upgrade --enable-experimental-feature livemode
t_eq "leapp upgrade: exit 0" 0 "$IR_RC"
[ "$IR_RC" = 0 ] || printf '%s\n' "$IR_OUT" | tail -30
LOG=$R/var/log/leapp/leapp-upgrade.log
t_check "the upgrade initramfs generator stepped aside" grep -q "upgrade_initramfs_generator: live mode is enabled" "$LOG"
rec=$US/dracut.record
arg() { grep -A1 -x -- "arg $1" "$rec" | sed -n 2p | sed 's/^arg //'; }
t_check "dracut of the userspace ran, chrooted there" grep -qx "chrooted into the userspace" "$rec"
t_check "... with /proc and /dev there" bash -c "grep -qx 'proc mounted' '$rec' && grep -qx 'dev mounted' '$rec'"
t_eq "... for the target kernel" "$KVER /lib/modules/$KVER" "$(arg --kver) $(arg --kmoddir)"
t_check "... --no-hostonly" grep -qx "arg --no-hostonly" "$rec"
t_eq "... the modules: dmsquash-live and the requested one, none of leapp's" "dmsquash-live leapptest" "$(arg --add)"
t_eq "... the requested driver and file" "virtio_blk /etc/leapp-extra.conf" "$(arg --add-drivers) $(arg --install)"
t_eq "... no leapp payload in the initramfs" "env LEAPP_INITRAMFS_PAYLOAD=" "$(grep '^env LEAPP_INITRAMFS_PAYLOAD' "$rec")"
t_eq "... into the live build area" "arg /var/lib/leapp-liveimage/initramfs-live.x86_64.img" "$(grep '^arg ' "$rec" | tail -1)"
t_eq "... with a dracut base directory of its own" "env dracutbasedir=/var/lib/leapp-liveimage/dracut" "$(grep '^env dracutbasedir' "$rec")"
t_check "the mode is logged" grep -q "building the live initramfs for $KVER with the target userspace's dracut" "$LOG"
t_check "no host-dracut report" bash -c "! grep -q ${K_LIVEMODE_HOST_DRACUT} '$R/var/log/leapp/leapp-report.json'"
t_eq "the live initramfs is installed (the stand-in's 64 KiB)" 65536 "$(stat -c %s "$R/boot/initramfs-upgrade.x86_64.img")"
t_check "with the userspace's kernel" cmp "$US/lib/modules/$KVER/vmlinuz" "$R/boot/vmlinuz-upgrade.x86_64"
t_check "the failure flag of an earlier attempt is gone" test ! -e "$R/var/lib/leapp/upgrade-initramfs.failed"
IMG=$R/var/lib/leapp/live-upgrade.img
t_eq "the image carries the target build of leapp, not this one" "the target build of leapp" \
	"$(unsquashfs -cat "$IMG" usr/bin/leapp 2>/dev/null | sed -n 2p | sed 's/^echo "\(.*\)"$/\1/')"
t_check "... and the target build's interim actor" bash -c "unsquashfs -l '$IMG' 2>/dev/null | grep -q 'usr/share/leapp/actors/interim_a/actor.yaml$'"
t_eq "root's password stays locked (passwd and shadow)" "x *" \
	"$(unsquashfs -cat "$IMG" etc/passwd 2>/dev/null | cut -d: -f2) $(unsquashfs -cat "$IMG" etc/shadow 2>/dev/null | cut -d: -f2)"
t_check "the entry boots the live image" grep -q "^options .* root=live:UUID=$(ir_manifest 'm["storage"]["root"]["uuid"]') rd.live.dir=/var/lib/leapp rd.live.squashimg=live-upgrade.img$" \
	"$R/boot/loader/entries/$(cat "$R/etc/machine-id")-upgrade.x86_64.conf"
t_eq "the live fstab: the local filesystems below /run/upgrade (escaped as fstab wants), swap; not nfs or tmpfs" \
	"UUID=$(ir_manifest 'm["storage"]["root"]["uuid"]') /run/upgrade xfs defaults 0 0
UUID=$(ir_manifest 'm["storage"]["boot"]["uuid"]') /run/upgrade/boot xfs defaults 0 0
UUID=$(ir_manifest 'm["storage"]["swap"]["uuid"]') none swap defaults 0 0
LABEL=my\040data /run/upgrade/srv/my\040data ext4 noatime 0 0" "$(unsquashfs -cat "$IMG" etc/fstab 2>/dev/null | grep -v '^#')"
t_eq "the binds went with the actor's mount namespace" "" "$(awk -v r="$R" 'index($2, r) == 1' /proc/self/mounts)"
t_done

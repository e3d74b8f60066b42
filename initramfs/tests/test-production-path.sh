#!/bin/bash
# The production path (no host tools): dracut, depmod and leapp come from the target userspace
# (stand-ins that record how they ran), dracut runs chrooted there with /dev /proc /sys bound
# in the actor's own mount namespace, with leapp's modules in a dracut base directory of its
# own; the /boot space check inhibits with the sizes; in Finalization, the upgraded system's
# own dracut (chrooted, its configuration) rebuilds the target initramfs that
# TargetInitramfsTasks ask more of. All under the broker, in the phases' sandboxes.
. "$(dirname "$0")/../../tests/lib.sh"
. "$(dirname "$0")/lib-initramfs.sh"
unset LEAPP_UNSUPPORTED LEAPP_DEVEL_USE_HOST_DRACUT

KVER=5.14.0-503.11.1.el9_5.x86_64
ir_sysroot demo || { t_fail "mksysroot demo"; t_done; exit 1; }
R=$IR_ROOT
US=$R/var/lib/leapp/el9userspace
A=$US/var/lib/leapp-initramfs
ir_standin_userspace "$R" "$KVER"
ir_userspace_stub "$R" "$KVER"
ir_actors ipu_workflow_config kernel_scanner common_leapp_dracut_modules upgrade_initramfs_generator \
	add_upgrade_boot_entry remove_upgrade_boot_entry target_initramfs_generator target_kernel_boot_entry \
	remove_upgrade_boot_files
T=$IR_SR/custom
mkdir -p "$T/95leapptest"
printf '#!/bin/bash\ncheck() { return 255; }\ninstall() { :; }\n' >"$T/95leapptest/module-setup.sh"
echo "not really a module" >"$T/leapp_test_dummy.ko"
ir_shell_actor "$R" initramfs_request FactsCollection "" UpgradeInitramfsTasks "
leapp-msg produce UpgradeInitramfsTasks '{\"include_dracut_modules\": [{\"name\": \"leapptest\", \"module_path\": \"$T/95leapptest\"}],
  \"include_kernel_modules\": [{\"name\": \"leapp_test_dummy\", \"module_path\": \"$T/leapp_test_dummy.ko\"}],
  \"include_files\": [\"/etc/leapp-extra.conf\"]}'"
grubenv0=$(sha256sum <"$R/boot/grub2/grubenv")
echo "exit 1 at an earlier attempt" >"$R/var/lib/leapp/upgrade-initramfs.failed"

ir_run "$R" upgrade
t_eq "leapp upgrade: exit 0" 0 "$IR_RC"
t_check "a new upgrade initramfs removes the failure flag of an earlier one" test ! -e "$R/var/lib/leapp/upgrade-initramfs.failed"
[ "$IR_RC" = 0 ] || printf '%s\n' "$IR_OUT" | tail -30
rec=$US/dracut.record
arg() { grep -A1 -x -- "arg $1" "$rec" | sed -n 2p | sed 's/^arg //'; }
t_check "dracut of the userspace ran" test -s "$rec"
t_check "... chrooted into the userspace" grep -qx "chrooted into the userspace" "$rec"
t_check "... with /proc and /dev there" bash -c "grep -qx 'proc mounted' '$rec' && grep -qx 'dev mounted' '$rec'"
t_eq "... for the target kernel, its modules as the chroot sees them" "$KVER /lib/modules/$KVER" "$(arg --kver) $(arg --kmoddir)"
t_check "... --no-hostonly" grep -qx "arg --no-hostonly" "$rec"
t_eq "... without the system's dracut configuration" "/dev/null /var/lib/leapp-initramfs/conf.d" "$(arg --conf) $(arg --confdir)"
t_eq "... the modules: leapp's two and the requested one" "sys-upgrade sys-upgrade-redhat leapptest" "$(arg --add)"
t_eq "... the requested kernel module" "leapp_test_dummy" "$(arg --add-drivers)"
t_eq "... the requested file" "/etc/leapp-extra.conf" "$(arg --install)"
t_eq "... the image into the build area" "arg /var/lib/leapp-initramfs/initramfs-upgrade.x86_64.img" "$(grep '^arg ' "$rec" | tail -1)"
t_eq "... leapp's dracut base directory and payload" \
	"env dracutbasedir=/var/lib/leapp-initramfs/dracut|env LEAPP_INITRAMFS_PAYLOAD=/var/lib/leapp-initramfs/payload" \
	"$(grep -E '^env (dracutbasedir|LEAPP_INITRAMFS_PAYLOAD)=' "$rec" | paste -sd'|')"
t_check "base directory: leapp's modules copied in" test -f "$A/dracut/modules.d/90sys-upgrade/module-setup.sh" -a -f "$A/dracut/modules.d/85sys-upgrade-redhat/do-upgrade.sh"
t_check "base directory: the requested module copied in" test -f "$A/dracut/modules.d/95leapptest/module-setup.sh"
t_eq "base directory: the userspace's own modules linked" "/usr/lib/dracut/modules.d/99base" "$(readlink "$A/dracut/modules.d/99base")"
t_eq "base directory: dracut's files linked" "/usr/lib/dracut/dracut-functions.sh" "$(readlink "$A/dracut/dracut-functions.sh")"
t_eq "the userspace's /usr/lib/dracut is untouched" "99base" "$(ls "$US/usr/lib/dracut/modules.d")"
t_check "the kernel module file went into the target kernel's tree" cmp "$T/leapp_test_dummy.ko" "$US/lib/modules/$KVER/extra/leapp/leapp_test_dummy.ko"
t_eq "the userspace's depmod ran for it" "-a $KVER" "$(cat "$US/depmod.record")"
t_check "payload: the target build of leapp, not this one" cmp "$US/usr/bin/leapp" "$A/payload/usr/bin/leapp"
t_check "payload: the target build's interim actor (interim by the target build's workflow)" test -f "$A/payload/usr/share/leapp/actors/interim_a/actor.yaml"
t_check "payload: not its early actor" test ! -e "$A/payload/usr/share/leapp/actors/early_b"
t_check "payload: not its first-boot actor" test ! -e "$A/payload/usr/share/leapp/actors/late_c"
t_check "payload: the target build's models and workflow" cmp "$US/usr/share/leapp/phases/inplace-upgrade.yaml" "$A/payload/usr/share/leapp/phases/inplace-upgrade.yaml"
t_eq "the image is installed" "65536" "$(stat -c %s "$R/boot/initramfs-upgrade.x86_64.img")"
t_check "with the userspace's kernel" cmp "$US/lib/modules/$KVER/vmlinuz" "$R/boot/vmlinuz-upgrade.x86_64"
t_eq "the boot entry is added" "1" "$(ls "$R"/boot/loader/entries/*-upgrade.x86_64.conf | wc -l)"
t_check "the mode is logged" grep -q "building the upgrade initramfs for $KVER with the target userspace's dracut" "$R/var/log/leapp/leapp-upgrade.log"
t_check "no host-dracut report" bash -c "! grep -q ${K_UPGRADE_INITRAMFS_HOST_DRACUT} '$R/var/log/leapp/leapp-report.json'"
t_eq "the binds went with the actor's mount namespace" "" "$(awk -v r="$R" 'index($2, r) == 1' /proc/self/mounts)"

# ---- Finalization with the upgraded system's dracut ----
cat >"$R/usr/bin/dracut" <<'SH'
#!/bin/sh
rec=/dracut.record
: >$rec
for a in "$@"; do echo "arg $a" >>$rec; done
echo "env dracutbasedir=$dracutbasedir" >>$rec
[ -r /proc/self/status ] && echo "proc mounted" >>$rec
[ -e /etc/machine-id ] && echo "chrooted into the system" >>$rec
for last; do :; done
echo "an initramfs made by the system's dracut" >"$last"
SH
chmod +x "$R/usr/bin/dracut"
mkdir -p "$R/lib/modules/$KVER"
cp "$US/lib/modules/$KVER/vmlinuz" "$R/lib/modules/$KVER/vmlinuz"
echo "made by the kernel package's scriptlets" >"$R/boot/initramfs-$KVER.img"
cp "$R/lib/modules/$KVER/vmlinuz" "$R/boot/vmlinuz-$KVER"
ir_shell_actor "$R" target_initramfs_request Applications "" TargetInitramfsTasks "
leapp-msg produce TargetInitramfsTasks '{\"include_dracut_modules\": [{\"name\": \"leapptest\", \"module_path\": \"$T/95leapptest\"}]}'"
ir_run "$R" upgrade --resume
t_eq "leapp upgrade --resume: exit 0" 0 "$IR_RC"
[ "$IR_RC" = 0 ] || printf '%s\n' "$IR_OUT" | tail -30
rec=$R/dracut.record
t_check "Finalization: the system's dracut ran, chrooted" grep -qx "chrooted into the system" "$rec"
t_check "... with /proc" grep -qx "proc mounted" "$rec"
t_eq "... for the target kernel" "$KVER /lib/modules/$KVER" "$(arg --kver) $(arg --kmoddir)"
t_check "... with the system's own configuration (no --conf, no --no-hostonly)" bash -c "! grep -Eqx 'arg (--conf|--no-hostonly|--hostonly)' '$rec'"
t_eq "... with the module the tasks ask for" "leapptest" "$(arg --add)"
t_eq "the initramfs the scriptlets made is rebuilt, because of the tasks" "an initramfs made by the system's dracut" "$(cat "$R/boot/initramfs-$KVER.img")"
t_check "no 'missing' warning for it" bash -c "! grep -q ${K_TARGET_INITRAMFS_CREATED} '$R/var/log/leapp/leapp-report.json'"
t_check "no 'missing' warning for the kernel either" bash -c "! grep -q ${K_TARGET_KERNEL_IMAGE_CREATED} '$R/var/log/leapp/leapp-report.json'"
MID=$(cat "$R/etc/machine-id")
t_eq "the target kernel is the default" "$MID-$KVER" "$(ir_grubenv "$R" saved_entry)"
t_eq "the upgrade files are gone" "" "$(ls -a "$R/boot" | grep -- '-upgrade\.')"

# ---- alone: an initramfs is there and nothing asks for more: it is kept ----
IN=$IR_SR/alone.json
echo '{"workflow": {"architecture": "x86_64"}, "messages": [{"model": "UpgradeBootArtifacts", "data": {"kernel": "/boot/vmlinuz-upgrade.x86_64", "initramfs": "/boot/initramfs-upgrade.x86_64.img", "kver": "'"$KVER"'", "arch": "x86_64", "kernel_bytes": 1, "initramfs_bytes": 1, "dracut": "userspace"}}]}' >"$IN"
echo "kept" >"$R/boot/initramfs-$KVER.img"
rm -f "$rec"
out=$("$IR_ACTORS/target_initramfs_generator/target_initramfs_generator" --root "$R" --input "$IN" 2>/dev/null)
t_eq "an initramfs and no tasks: kept, dracut not run" "kept false none" \
	"$(cat "$R/boot/initramfs-$KVER.img") $(jq -r '.messages[0].data | "\(.initramfs_built) \(.dracut)"' <<<"$out")$([ -e "$rec" ] && echo " ran")"

# ---- host-tools mode where there is no host dracut (inside an upgrade initramfs): a warning ----
rm -f "$R/boot/initramfs-$KVER.img"
: >"$IR_SR/not-dracut"
out=$(LEAPP_UNSUPPORTED=1 LEAPP_DEVEL_USE_HOST_DRACUT=1 unshare -m bash -c \
	'for d in /usr/bin/dracut /usr/sbin/dracut /sbin/dracut; do [ -e "$d" ] && mount --bind "$1" "$d"; done; "$2" --root "$3" --input "$4"' \
	_ "$IR_SR/not-dracut" "$IR_ACTORS/target_initramfs_generator/target_initramfs_generator" "$R" "$IN" 2>/dev/null)
t_eq "no host dracut: a high warning naming the remedy, no failure" "${K_TARGET_INITRAMFS_NO_HOST_DRACUT} high dracut -f --kver $KVER|0" \
	"$(jq -r '.reports[] | "\(.key) \(.severity) \(.detail.remediations[0].context | join(" "))"' <<<"$out")|$(jq '.errors | length' <<<"$out")"
t_check "no host dracut: no initramfs pretended" test ! -e "$R/boot/initramfs-$KVER.img"

# ---- /boot too small: an inhibitor with the sizes, nothing installed ----
ir_sysroot demo || { t_fail "mksysroot demo"; t_done; exit 1; }
R=$IR_ROOT
US=$R/var/lib/leapp/el9userspace
# (the actor folder of links lives next to the root: a sandbox keeps only the root's part of /tmp)
ir_actors ipu_workflow_config common_leapp_dracut_modules upgrade_initramfs_generator add_upgrade_boot_entry
ir_standin_userspace "$R" "$KVER"
ir_userspace_stub "$R" "$KVER"
echo 8192 >"$US/etc/standin-image-kib"
cp -a "$R/boot" "$IR_SR/boot.copy"
mount -t tmpfs -o size=4m tmpfs "$R/boot"
cp -a "$IR_SR/boot.copy/." "$R/boot/"
grubenv0=$(sha256sum <"$R/boot/grub2/grubenv")
entries0=$(ls "$R/boot/loader/entries")
ir_run "$R" upgrade
t_eq "/boot too small: exit 3 (inhibited)" 3 "$IR_RC"
t_check "the inhibitor is in the report" grep -q "${K_UPGRADE_INITRAMFS_BOOT_SPACE}" <<<"$(ir_report_keys "$R")"
t_eq "... as an inhibitor" "true" "$(jq -r --arg k "$K_UPGRADE_INITRAMFS_BOOT_SPACE" '[.entries[] | select(.key == $k)][0].groups | index("inhibitor") != null' "$R/var/log/leapp/leapp-report.json")"
summary=$(ir_report "$R" ${K_UPGRADE_INITRAMFS_BOOT_SPACE} summary)
t_check "... with the sizes" grep -Eq "kernel \(0\.3 MiB\) and the upgrade initramfs \(8\.0 MiB\) need 8\.[0-9] MiB in /boot, which has [0-9.]+ MiB free" <<<"$summary"
t_check "... and what to free" grep -Eq "Free at least [0-9.]+ MiB in /boot" <<<"$(ir_report "$R" ${K_UPGRADE_INITRAMFS_BOOT_SPACE} "detail.remediations[0].context")"
t_eq "nothing is installed in /boot" "" "$(ls -a "$R/boot" | grep -- '-upgrade\.')"
t_eq "no boot entry is added" "$entries0" "$(ls "$R/boot/loader/entries")"
t_eq "grubenv is unchanged" "$grubenv0" "$(sha256sum <"$R/boot/grub2/grubenv")"
t_check "no reboot is asked for" bash -c "! grep -q 'A reboot is required' <<<\"\$1\"" _ "$IR_OUT"
umount "$R/boot"
t_done

#!/bin/bash
# The upgrade initramfs for real (issue 9, items 1-5), with the host's dracut
# (LEAPP_UNSUPPORTED=1 LEAPP_DEVEL_USE_HOST_DRACUT=1) and the target userspace that
# target_userspace_creator makes (issue 8): leapp upgrade builds the image with a custom dracut module,
# a custom kernel module and a file that a test actor asks for, installs it with the kernel
# in /boot and adds the one-time boot entry; then, after the target kernel package is
# installed into the tree as the RPM transaction would, leapp upgrade --resume (the simulated
# reboot into the initramfs) removes the entry, checks and makes the target kernel's boot files
# and entry, makes it the default and removes the upgrade files.
# san: skip (two real dracut runs: a minute more under the sanitizers and nothing they would add)
. "$(dirname "$0")/../../tests/lib.sh"
. "$(dirname "$0")/lib-initramfs.sh"

ir_sysroot demo || { t_fail "mksysroot demo"; t_done; exit 1; }
R=$IR_ROOT
KVER=$(ir_manifest 'm["kernel"]["target"]["kver"]')
MID=$(cat "$R/etc/machine-id")
OLD=$(ir_manifest 'm["kernel"]["default_entry"]')
US=$R/var/lib/leapp/el9userspace
# the plan, the download and the userspace (issue 8), then this issue's actors
ir_actors ipu_workflow_config rpm_scanner repositories_scanner module_stream_facts repositories_mapping \
	pes_events_scanner target_repositories transaction_planner check_planned_transaction check_rpmdb_unchanged \
	target_gpg_keys check_target_userspace_tasks download_packages rpm_transaction_test target_userspace_creator \
	kernel_scanner common_leapp_dracut_modules upgrade_initramfs_generator \
	add_upgrade_boot_entry remove_upgrade_boot_entry target_initramfs_generator target_kernel_boot_entry \
	remove_upgrade_boot_files
export LEAPP_UNSUPPORTED=1 LEAPP_DEVEL_USE_HOST_DRACUT=1

# a custom dracut module, a custom kernel module (dummy.ko under another name) and a file
T=$IR_SR/custom
mkdir -p "$T/95leapptest"
cat >"$T/95leapptest/module-setup.sh" <<'SH'
#!/bin/bash
check() { return 255; }
depends() { return 0; }
install() { inst_simple "$moddir/marker.txt" /etc/leapp-test-marker.txt; }
SH
echo "the custom dracut module was here" >"$T/95leapptest/marker.txt"
rpm2cpio "$(ir_kernel_rpm)" | (cd "$T" && cpio -idm --quiet "./lib/modules/$KVER/kernel/drivers/net/dummy.ko")
mv "$T/lib/modules/$KVER/kernel/drivers/net/dummy.ko" "$T/leapp_test_dummy.ko"
ir_shell_actor "$R" initramfs_request FactsCollection "" "UpgradeInitramfsTasks, UpgradeKernelCmdlineArgTasks" "
leapp-msg produce UpgradeInitramfsTasks '{\"include_dracut_modules\": [{\"name\": \"leapptest\", \"module_path\": \"$T/95leapptest\"}],
  \"include_kernel_modules\": [{\"name\": \"leapp_test_dummy\", \"module_path\": \"$T/leapp_test_dummy.ko\"}, {\"name\": \"virtio_blk\"}],
  \"include_files\": [\"/usr/bin/cmp\"]}'
leapp-msg produce UpgradeKernelCmdlineArgTasks '{\"to_add\": [{\"key\": \"console\", \"value\": \"ttyS0\"}, {\"key\": \"rd.debug\"}],
  \"to_remove\": [{\"key\": \"rhgb\"}, {\"key\": \"quiet\"}]}'"
mkdir -p "$R/etc/leapp/actor_conf.d"
cat >"$R/etc/leapp/actor_conf.d/speed.yaml" <<'YAML'
# smaller images than the defaults, to keep the test quick
upgrade_initramfs:
  extra_dracut_args: ["-m", "base systemd systemd-initrd dracut-systemd"]
target_initramfs:
  extra_dracut_args: ["-m", "base", "--drivers", "virtio_blk"]
YAML
cp "$R/boot/grub2/grubenv" "$IR_SR/grubenv.before"

# ---- leapp upgrade: up to the reboot ----
t0=$SECONDS
ir_run "$R" upgrade
t_eq "leapp upgrade: exit 0" 0 "$IR_RC"
[ "$IR_RC" = 0 ] || printf '%s\n' "$IR_OUT" | tail -30
echo "# leapp upgrade with the initramfs build: $((SECONDS - t0)) s"
t_check "a reboot is announced" grep -q "A reboot is required to continue" <<<"$IR_OUT"
K=$R/boot/vmlinuz-upgrade.x86_64
I=$R/boot/initramfs-upgrade.x86_64.img
t_check "the userspace has the target kernel package" grep -q "^kernel-core-" <<<"$(rpm --root "$US" --dbpath /var/lib/rpm -qa)"
t_check "the upgrade kernel is the target kernel" cmp "$K" "$US/lib/modules/$KVER/vmlinuz"
[ -s "$I" ] && t_ok "the upgrade initramfs is installed" || t_fail "the upgrade initramfs is installed"
echo "# upgrade initramfs: $(stat -c %s "$I") bytes"
t_eq "the initramfs is root's only" "600" "$(stat -c %a "$I")"
L=$IR_SR/image.list
ir_list "$I" >"$L"
has() { grep -qx "$1" "$L"; }
t_check "image: the custom dracut module's file" has etc/leapp-test-marker.txt
t_check "image: the custom kernel module (from extra/)" grep -q "lib/modules/$KVER/extra/leapp/leapp_test_dummy.ko" "$L"
t_check "image: a kernel module of the target kernel package" grep -q "lib/modules/$KVER/kernel/drivers/block/virtio_blk.ko" "$L"
t_check "image: the requested file" grep -Eq '^(usr/)?bin/cmp$' "$L"
t_check "image: leapp" has usr/bin/leapp
t_check "image: leapp-msg" has usr/bin/leapp-msg
t_check "image: the models" has usr/share/leapp/models/boot.yaml
t_check "image: the workflow" has usr/share/leapp/phases/inplace-upgrade.yaml
t_check "image: the InitRamStart actor" has usr/share/leapp/actors/remove_upgrade_boot_entry/remove_upgrade_boot_entry
t_check "image: a Finalization actor" has usr/share/leapp/actors/target_kernel_boot_entry/actor.yaml
t_check "image: no actor of an earlier phase" bash -c "! grep -q 'usr/share/leapp/actors/upgrade_initramfs_generator' '$L'"
missing=""
for lib in $(ldd "$T_BUILD/leapp" | awk '/=> \//{print $3}'); do
	grep -q "$(basename "$lib")\$" "$L" || missing="$missing $(basename "$lib")"
done
t_eq "image: every library leapp links" "" "$missing"
t_check "image: upgrade.target" grep -Eq 'lib/systemd/system/upgrade.target$' "$L"
t_check "image: upgrade.service, wanted by upgrade.target" grep -Eq 'lib/systemd/system/upgrade.target.wants/upgrade.service$' "$L"
t_check "image: the generator" grep -Eq 'lib/systemd/system-generators/initrd-system-upgrade-generator$' "$L"
t_check "image: initrd-cleanup keeps the root" grep -Eq 'lib/systemd/system/initrd-cleanup.service.d/50-sys-upgrade.conf$' "$L"
t_check "image: initrd-switch-root keeps the root" grep -Eq 'lib/systemd/system/initrd-switch-root.service.d/50-sys-upgrade.conf$' "$L"
t_check "image: the upgrade script" has usr/bin/system-upgrade
for h in upgrade-pre/50-upgrade-mount.sh upgrade/50-do-upgrade.sh upgrade-post/50-upgrade-finish.sh; do
	t_check "image: hook $h" grep -Eq "lib/dracut/hooks/$h\$" "$L"
done
t_eq "the unit file in the image is ours" "$(cat "$T_TOP/initramfs/90sys-upgrade/upgrade.service")" \
	"$(lsinitrd -f usr/lib/systemd/system/upgrade.service "$I" 2>/dev/null || lsinitrd -f lib/systemd/system/upgrade.service "$I")"

E=$R/boot/loader/entries/$MID-upgrade.x86_64.conf
[ -f "$E" ] && t_ok "the upgrade entry exists" || t_fail "the upgrade entry exists" "$(ls "$R/boot/loader/entries")"
kopts=$(ir_grubenv "$R" kernelopts)
want="options ${kopts/ rhgb quiet/} enforcing=0 rd.plymouth=0 plymouth.enable=0 console=ttyS0 rd.debug"
t_eq "entry: the default's arguments (\$kernelopts expanded), the upgrade's, the tasks'" "$want" "$(grep '^options ' "$E")"
t_eq "entry: kernel and initramfs, named on the boot filesystem" "linux /vmlinuz-upgrade.x86_64|initrd /initramfs-upgrade.x86_64.img" \
	"$(grep '^linux ' "$E")|$(grep '^initrd ' "$E")"
t_eq "entry: the title leapp uses" "title RHEL-Upgrade-Initramfs" "$(grep '^title ' "$E")"
t_eq "grubenv: next_entry names the upgrade entry (boot once)" "$MID-upgrade.x86_64" "$(ir_grubenv "$R" next_entry)"
t_eq "grubenv: the default stays" "$OLD" "$(ir_grubenv "$R" saved_entry)"
t_eq "grubenv: a 1024-byte block" 1024 "$(stat -c %s "$R/boot/grub2/grubenv")"
t_check "the report names the host dracut mode" grep -q "${K_UPGRADE_INITRAMFS_HOST_DRACUT}" <<<"$(ir_report_keys "$R")"

# ---- the RPM transaction (another engineer's actor): the target kernel package into the tree ----
t_rpmdb_writable "$R"
rpm --root "$R" --dbpath /var/lib/rpm -i --nodeps --nosignature "$(ir_kernel_rpm)" >/dev/null 2>&1
[ -s "$R/lib/modules/$KVER/vmlinuz" ] && t_ok "(the target kernel package is installed)" || t_fail "(the target kernel package is installed)"

# ---- the reboot into the upgrade initramfs: leapp upgrade --resume ----
t0=$SECONDS
ir_run "$R" upgrade --resume
t_eq "leapp upgrade --resume: exit 0" 0 "$IR_RC"
[ "$IR_RC" = 0 ] || printf '%s\n' "$IR_OUT" | tail -30
echo "# leapp upgrade --resume with the target initramfs build: $((SECONDS - t0)) s"
[ ! -e "$E" ] && t_ok "the upgrade entry is gone" || t_fail "the upgrade entry is gone"
t_eq "grubenv: next_entry is gone" "" "$(ir_grubenv "$R" next_entry)"
t_eq "the upgrade boot files are gone" "" "$(cd "$R/boot" && ls -a | grep -- '-upgrade\.')"
t_check "the target kernel is in /boot" cmp "$R/boot/vmlinuz-$KVER" "$R/lib/modules/$KVER/vmlinuz"
[ -s "$R/boot/initramfs-$KVER.img" ] && t_ok "the target kernel has an initramfs" || t_fail "the target kernel has an initramfs"
t_check "... a real one, for the target kernel" grep -q "lib/modules/$KVER/kernel/drivers/block/virtio_blk.ko" <<<"$(ir_list "$R/boot/initramfs-$KVER.img")"
TE=$R/boot/loader/entries/$MID-$KVER.conf
[ -f "$TE" ] && t_ok "the target kernel has a boot entry" || t_fail "the target kernel has a boot entry"
t_eq "its entry: linux, initrd, options" "linux /vmlinuz-$KVER|initrd /initramfs-$KVER.img|options $kopts" \
	"$(grep '^linux ' "$TE")|$(grep '^initrd ' "$TE")|$(grep '^options ' "$TE")"
t_eq "the target kernel is the default" "$MID-$KVER" "$(ir_grubenv "$R" saved_entry)"
t_eq "the old kernel's entry stays" "1" "$(ls "$R/boot/loader/entries/$OLD.conf" | wc -l)"
keys=$(ir_report_keys "$R")
for k in ${K_TARGET_KERNEL_IMAGE_CREATED} ${K_TARGET_INITRAMFS_CREATED} ${K_TARGET_KERNEL_ENTRY_CREATED}; do
	t_check "a warning: $k" grep -q "$k" <<<"$keys"
done
t_eq "... of medium severity" "medium" "$(ir_report "$R" ${K_TARGET_KERNEL_ENTRY_CREATED} severity)"
t_eq "no error in the report" "0" "$(jq '[.entries[] | select(.groups | index("error"))] | length' "$R/var/log/leapp/leapp-report.json")"
t_eq "grubenv still a valid 1024-byte block" 1024 "$(stat -c %s "$R/boot/grub2/grubenv")"

# ---- Finalization again (a resumed phase): nothing changes ----
sum() { (cd "$R/boot" && find . -type f | sort | xargs sha256sum); }
before=$(sum)
ir_run "$R" rerun --from-phase Finalization
t_eq "Finalization run again: exit 0" 0 "$IR_RC"
t_eq "Finalization run again changes nothing in /boot" "$before" "$(sum)"
t_done

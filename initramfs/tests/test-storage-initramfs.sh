#!/bin/bash
# storage_initramfs_setup: fstab's filesystems as systemd mount units on /sysroot ordered before
# upgrade.target (what a separate /usr or /var needs), rd.lvm.lv= for every logical volume they
# are on, and the system's lvm.conf, devices file, mdadm.conf and multipath configuration (with
# the 8 to 9 changes) in a dracut module of their own; then a real (host) dracut build with that
# module, and the image holds the units, the links that order them and the files.
. "$(dirname "$0")/../../tests/lib.sh"
. "$(dirname "$0")/lib-initramfs.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
R=$F_DIR/root
S=$F_DIR/scratch
mkdir -p "$R/etc/lvm/devices" "$R/etc/multipath/conf.d" "$R/dev/disk/by-uuid" "$R/sys/block/dm-2/dm" "$S"
cat >"$R/etc/fstab" <<'FSTAB'
/dev/mapper/rl-root    /               xfs     defaults        0 0
UUID=1111-2222         /boot           xfs     defaults        0 0
/dev/mapper/rl-usr     /usr            xfs     ro,defaults     0 0
UUID=aaaa-bbbb         /var            xfs     defaults,x-systemd.device-timeout=0 0 0
/dev/mapper/rl-lea--pp /var/lib/leapp  ext4    noatime         0 0
/dev/vdb1              /home           xfs     nofail          0 0
/dev/mapper/rl-swap    none            swap    defaults        0 0
tmpfs                  /tmp            tmpfs   defaults        0 0
server:/export         /mnt/nfs        nfs     defaults        0 0
/dev/vdc1              /data           xfs     noauto          0 0
/home/www              /srv/www        none    bind            0 0
/dev/rl/opt            /opt            xfs     defaults        0 0
FSTAB
ln -s ../../vda1 "$R/dev/disk/by-uuid/1111-2222"
ln -s ../../dm-2 "$R/dev/disk/by-uuid/aaaa-bbbb"
echo rl-var >"$R/sys/block/dm-2/dm/name"
echo 'devices { filter = [ "a|.*|" ] }' >"$R/etc/lvm/lvm.conf"
echo 'VERSION=1.1.2' >"$R/etc/lvm/devices/system.devices"
echo 'ARRAY /dev/md0 metadata=1.2 UUID=00000000:11111111:22222222:33333333' >"$R/etc/mdadm.conf"
cat >"$R/etc/multipath.conf" <<'MP'
# the system's multipath configuration
blacklist {
	devnode "*"
}
blacklist_exceptions {
	wwid "3600508b4000156d700012000000b0000"
}
MP
printf 'devices {\n\tdevice {\n\t\tvendor "*"\n\t\tproduct "X"\n\t}\n}\n' >"$R/etc/multipath/conf.d/local.conf"
echo '/3600508b4000156d700012000000b0000/' >"$R/etc/multipath/wwids"
echo 'luks-1234 UUID=1234 none discard' >"$R/etc/crypttab"

run_actor storage_scanner "$R"
mk() { printf '%s' "$A_OUT" | jq -c --argjson wf "$(ipu 8.10 9.6)" --arg s "$S" '{workflow: $wf, scratch: $s, messages: .messages}' >"$F_DIR/in.json"; }
mk
run_actor storage_initramfs_setup "$R" "$F_DIR/in.json"
t_eq "runs" 0 "$A_RC"
M=$S/99leapp-storage
t_eq "a unit for each local filesystem but / (no swap, tmpfs, nfs, noauto)" \
	"sysroot-boot.mount sysroot-home.mount sysroot-opt.mount sysroot-srv-www.mount sysroot-usr.mount sysroot-var-lib-leapp.mount sysroot-var.mount" \
	"$(cd "$M/units" && ls *.mount | sort | paste -sd' ')"
t_eq "/var: its device, read-write, after /sysroot, before the upgrade" "[Unit]
DefaultDependencies=no
Requires=sysroot.mount
After=sysroot.mount
Before=upgrade.service upgrade.target

[Mount]
What=/dev/disk/by-uuid/aaaa-bbbb
Where=/sysroot/var
Type=xfs
Options=rw" "$(grep -v '^#' "$M/units/sysroot-var.mount")"
t_eq "/var/lib/leapp after /var" "Requires=sysroot-var.mount|After=sysroot-var.mount" "$(grep -E '^(Requires|After)=' "$M/units/sysroot-var-lib-leapp.mount" | paste -sd'|')"
t_eq "/usr: ro made rw" "Options=rw" "$(grep '^Options' "$M/units/sysroot-usr.mount")"
t_eq "a bind mount from /sysroot, after / and /home (its source)" "What=/sysroot/home/www|Options=rw,bind|After=sysroot.mount sysroot-home.mount" \
	"$(grep -E '^(What|Options|After)=' "$M/units/sysroot-srv-www.mount" | sort -r | paste -sd'|')"
t_eq "nofail: wanted, the rest required" "sysroot-home.mount" "$(cat "$M/units/wants")"
t_eq "the mounts to undo after the upgrade, deepest first" "/sysroot/var/lib/leapp /sysroot/var /sysroot/usr /sysroot/srv/www /sysroot/opt /sysroot/home /sysroot/boot" \
	"$(paste -sd' ' "$M/units/mounts")"
t_eq "required by upgrade.target" 6 "$(wc -l <"$M/units/requires")"
t_eq "the dracut modules asked for" "leapp-storage=$M lvm=null mdraid=null multipath=null" \
	"$(msgr UpgradeInitramfsTasks '[.include_dracut_modules[] | "\(.name)=\(.module_path)"] | join(" ")')"
t_eq "their tools in the target userspace" '["lvm2","mdadm","device-mapper-multipath"]' "$(msg TargetUserSpaceTasks .packages)"
t_eq "rd.lvm.lv for each volume (root, usr, var through its UUID link, an escaped dash, /dev/VG/LV)" \
	"rd.lvm.lv=rl/root rd.lvm.lv=rl/usr rd.lvm.lv=rl/var rd.lvm.lv=rl/lea-pp rd.lvm.lv=rl/opt" \
	"$(msgr UpgradeKernelCmdlineArgTasks '[.to_add[] | "\(.key)=\(.value)"] | join(" ")')"
t_eq "lvm.conf, the devices file, mdadm.conf copied" "$(cat "$R/etc/lvm/lvm.conf")|VERSION=1.1.2|$(cat "$R/etc/mdadm.conf")" \
	"$(cat "$M/files/etc/lvm/lvm.conf")|$(cat "$M/files/etc/lvm/devices/system.devices")|$(cat "$M/files/etc/mdadm.conf")"
t_eq "multipath.conf for release 9: * regexes, enable_foreign, allow_usb_devices" '# the system'"'"'s multipath configuration
blacklist {
	devnode ".*" # line modified by Leapp
}
blacklist_exceptions {
	wwid "3600508b4000156d700012000000b0000"
}
defaults { # section added by Leapp
	enable_foreign ""
	allow_usb_devices yes
}' "$(cat "$M/files/etc/multipath.conf")"
t_eq "conf.d: the regex fixed, nothing added there" '		vendor ".*" # line modified by Leapp' "$(grep vendor "$M/files/etc/multipath/conf.d/local.conf")"
t_eq "wwids copied" "$(cat "$R/etc/multipath/wwids")" "$(cat "$M/files/etc/multipath/wwids")"
t_eq "crypttab copied" "$(cat "$R/etc/crypttab")" "$(cat "$M/files/etc/crypttab")"

# a defaults section that sets one of them: only the other is added, inside it
printf 'defaults {\n\tuser_friendly_names yes\n\tallow_usb_devices no\n}\n' >"$R/etc/multipath.conf"
run_actor storage_initramfs_setup "$R" "$F_DIR/in.json"
t_eq "an existing defaults section gets what it lacks" 'defaults {
	enable_foreign "" # line added by Leapp
	user_friendly_names yes
	allow_usb_devices no
}' "$(cat "$M/files/etc/multipath.conf")"

# a filesystem whose volume cannot be traced: every volume activated instead
rm "$R/dev/disk/by-uuid/aaaa-bbbb"
run_actor storage_initramfs_setup "$R" "$F_DIR/in.json"
t_eq "an untraceable UUID: rd.lvm.lv removed" '{"to_remove":[{"key":"rd.lvm.lv","value":null}]}' "$(msg UpgradeKernelCmdlineArgTasks .)"
# mdadm: the configuration in /etc/mdadm and its .d directories too (mdadm.conf(5)); arrays
# active without any configuration still get the mdraid module, with a warning; NVMe-oF identity
mv "$R/etc/mdadm.conf" "$F_DIR/mdadm.conf.saved"
mkdir -p "$R/etc/mdadm/mdadm.conf.d" "$R/etc/nvme" "$R/proc"
echo 'ARRAY /dev/md1 metadata=1.2 UUID=44444444:55555555:66666666:77777777' >"$R/etc/mdadm/mdadm.conf.d/data.conf"
echo 'not read: no .conf' >"$R/etc/mdadm/mdadm.conf.d/README"
echo 'nqn.2014-08.org.nvmexpress:uuid:0f0e' >"$R/etc/nvme/hostnqn"
run_actor storage_initramfs_setup "$R" "$F_DIR/in.json"
t_eq "/etc/mdadm/mdadm.conf.d/*.conf copied (only .conf)" "$(cat "$R/etc/mdadm/mdadm.conf.d/data.conf")|absent" \
	"$(cat "$M/files/etc/mdadm/mdadm.conf.d/data.conf")|$(test -e "$M/files/etc/mdadm/mdadm.conf.d/README" && echo present || echo absent)"
t_check "... with the mdraid module" grep -qw mdraid <<<"$(msgr UpgradeInitramfsTasks '[.include_dracut_modules[].name] | join(" ")')"
t_eq "the NVMe-oF host identity copied" "$(cat "$R/etc/nvme/hostnqn")" "$(cat "$M/files/etc/nvme/hostnqn")"
rm -r "$R/etc/mdadm"
printf 'Personalities : [raid1]\nmd127 : active raid1 vdc1[1] vdb1[0]\n      1046528 blocks super 1.2 [2/2] [UU]\n\nunused devices: <none>\n' >"$R/proc/mdstat"
run_actor storage_initramfs_setup "$R" "$F_DIR/in.json"
t_check "an active array without configuration: mdraid still" grep -qw mdraid <<<"$(msgr UpgradeInitramfsTasks '[.include_dracut_modules[].name] | join(" ")')"
t_check "... and a warning naming where it looked" grep -q "no mdadm configuration was found in /etc/mdadm.conf" <<<"$A_ERR$(printf '%s' "$A_OUT" | jq -r '.logs[]?.message // empty' 2>/dev/null)"
printf 'Personalities :\nunused devices: <none>\n' >"$R/proc/mdstat"
run_actor storage_initramfs_setup "$R" "$F_DIR/in.json"
t_check "no array and no configuration: no mdraid" bash -c '! grep -qw mdraid <<<"$1"' _ "$(msgr UpgradeInitramfsTasks '[.include_dracut_modules[].name] | join(" ")')"
rm -r "$R/proc/mdstat" "$R/etc/nvme"
mv "$F_DIR/mdadm.conf.saved" "$R/etc/mdadm.conf"
run_actor storage_initramfs_setup "$R" "$F_DIR/in.json"

# live mode: nothing
jq -c '.messages += [{model: "LiveModeConfig", data: {is_enabled: true}}]' "$F_DIR/in.json" >"$F_DIR/in-live.json"
run_actor storage_initramfs_setup "$R" "$F_DIR/in-live.json"
t_eq "live mode: no tasks" "0 0" "$A_RC $(printf '%s' "$A_OUT" | jq '.messages | length')"
# volumes in fstab but no lvm.conf (nor devices file): dracut's lvm is still asked for
R2=$F_DIR/root2
S2=$F_DIR/scratch2
mkdir -p "$R2/etc" "$S2"
printf '/dev/mapper/vg0-root / ext4 defaults 0 0\n/dev/mapper/vg0-usr /usr ext4 defaults 0 0\n' >"$R2/etc/fstab"
run_actor storage_scanner "$R2"
printf '%s' "$A_OUT" | jq -c --argjson wf "$(ipu 8.10 9.6)" --arg s "$S2" '{workflow: $wf, scratch: $s, messages: .messages}' >"$F_DIR/in2.json"
run_actor storage_initramfs_setup "$R2" "$F_DIR/in2.json"
t_eq "no lvm.conf, / and /usr on volumes: dracut's lvm asked for" "leapp-storage lvm" \
	"$(msgr UpgradeInitramfsTasks '[.include_dracut_modules[] | .name] | join(" ")')"
t_eq "no lvm.conf: lvm2 in the target userspace" '["lvm2"]' "$(msg TargetUserSpaceTasks .packages)"
t_eq "no lvm.conf: rd.lvm.lv for / and /usr" "rd.lvm.lv=vg0/root rd.lvm.lv=vg0/usr" \
	"$(msgr UpgradeKernelCmdlineArgTasks '[.to_add[] | "\(.key)=\(.value)"] | join(" ")')"
t_check "no lvm.conf: none made up" test ! -e "$S2/99leapp-storage/files/etc/lvm/lvm.conf"

run_actor storage_initramfs_setup "$R" "$F_DIR/in.json"

# ---- the module in a real dracut build (the host's dracut and kernel) ----
if ir_dracut_module "$M" leapp-storage "$F_DIR"; then
	L=$IR_LIST
	U=usr/lib/systemd/system
	for f in $U/sysroot-var.mount $U/sysroot-var-lib-leapp.mount $U/upgrade.target.requires/sysroot-usr.mount \
		$U/upgrade.target.wants/sysroot-home.mount etc/lvm/lvm.conf etc/lvm/devices/system.devices etc/mdadm.conf \
		etc/multipath.conf etc/multipath/conf.d/local.conf etc/multipath/wwids etc/crypttab usr/lib/leapp-storage/mounts; do
		t_check "in the image: $f" grep -qx -- "$f" <<<"$L"
	done
	mkdir -p "$F_DIR/x" && (cd "$F_DIR/x" && lsinitrd --unpack "$F_DIR/img" >/dev/null 2>&1)
	t_eq "the unit in the image is the one written" "$(cat "$M/units/sysroot-var.mount")" "$(cat "$F_DIR/x/$U/sysroot-var.mount" 2>/dev/null)"
	t_eq "the ordering link points at it" "$U/sysroot-usr.mount" "$(readlink "$F_DIR/x/$U/upgrade.target.requires/sysroot-usr.mount" | sed 's|^\.\./||; s|^/||; s|^\([^u]\)|'"$U"'/\1|')"
fi
t_done

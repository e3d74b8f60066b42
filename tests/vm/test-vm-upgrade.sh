#!/bin/bash
# The real upgrade initramfs booted in a virtual machine (issue 11). The demo system (on ext4:
# tests/vm/vm-demo.yaml) goes through leapp preupgrade and leapp upgrade in the host-tools mode,
# then a disk image of its tree (MBR, /boot, / and swap with the UUIDs its fstab names) boots
# in QEMU (TCG) from the tree's /boot/vmlinuz-upgrade and initramfs-upgrade with the options
# of the upgrade boot entry, root= and console=ttyS0. Four boots of that disk:
#   break    rd.upgrade.break=leapp-pre-upgrade stops before leapp (seen on the console)
#   upgrade  upgrade.service runs the interim phases and reboots (QEMU exits, -no-reboot); on
#            the disk: the target packages in the rpmdb, the state file says finished, the
#            upgrade entry is gone, leapp_resume.service is installed, the audit store has
#            the interim phases committed
#   fail     a custom interim actor (repos.d, LateTests) made to fail by the kernel command
#            line: the failure flag, the state failed and the log with the journal on the disk
#   again    the failed disk booted again: the flag stops leapp, the VM reboots
# It fails, never skips, when something is missing or the VM does not boot; the console of a
# boot with a failed check is printed (and kept in $T_BUILD/vm-test/).
#   VM_KEEP=1   keep the work directory ($T_BUILD/vm-test/work: tree, disk images, logs)
# san: skip (boots the plain build's image in QEMU for minutes; the sanitizers add nothing there)
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/vmlib.sh"

T0=$(vm_now)
KEEP=$T_BUILD/vm-test
mkdir -p "$KEEP"
if [ "${VM_KEEP:-0}" = 1 ]; then
	W=$KEEP/work
	rm -rf "$W"
	mkdir -p "$W"
else
	W=$(t_tmpdir)
fi
T_CLEANUP_HOOK=vm_kill
INTERIM="InitRamStart LateTests Preparation RPMUpgrade Applications ThirdPartyApplications Finalization"
INTERIM_SQL=$(printf "'%s'," $INTERIM)
INTERIM_SQL=${INTERIM_SQL%,}

# end: the summary line and exit
vm_done() {
	vm_log "VM test: $(vm_since "$T0") s in all"
	t_done
	exit
}

miss=$(vm_missing_tools)
if [ -n "$miss" ]; then
	t_fail "the VM test's tools are installed (scripts/install-deps.sh)" "missing:$miss"
	vm_done
fi
t_ok "the VM test's tools are installed"

# ---- the system, up to the reboot ----
OUT=$W/out
R=$OUT/root
t=$(vm_now)
if ! vm_mksysroot "$T_TOP/tests/vm/vm-demo.yaml" "$OUT"; then
	t_fail "mksysroot tests/vm/vm-demo.yaml"
	vm_done
fi
vm_log "mksysroot: $(vm_since "$t") s"
MID=$(cat "$R/etc/machine-id")
ARCH=$(uname -m)
KVER=$(vm_manifest "$OUT" .kernel.target.kver)
RUUID=$(vm_manifest "$OUT" .storage.root.uuid)
RDEV=$(vm_manifest "$OUT" .storage.root.device)
# a custom actor of the admin's, in an interim phase: runs in the upgrade initramfs (from the
# disk's repos.d, with the image's sh and leapp-msg), fails when the kernel command line says so
vm_shell_actor "$R" vm_test_interim LateTests '
case " $(cat /proc/cmdline) " in
*" leapp_vmtest_fail=1 "*)
	leapp-msg error "vm test: made to fail (leapp_vmtest_fail=1 on the kernel command line)"
	exit 1 ;;
esac
leapp-msg log info "vm test: the custom interim actor ran in the upgrade initramfs"'

t=$(vm_now)
vm_leapp "$R" "$W/preupgrade.log" preupgrade
rc=$?
t_eq "leapp preupgrade: exit 0 ($(vm_since "$t") s)" 0 "$rc"
t=$(vm_now)
vm_leapp "$R" "$W/upgrade.log" upgrade
rc=$?
t_eq "leapp upgrade: exit 0 ($(vm_since "$t") s)" 0 "$rc"
[ "$rc" = 0 ] || tail -30 "$W/upgrade.log" | sed 's/^/#   /'
KERNEL=$R/boot/vmlinuz-upgrade.$ARCH
INITRD=$R/boot/initramfs-upgrade.$ARCH.img
ENTRY=/loader/entries/$MID-upgrade.$ARCH.conf
if [ ! -s "$KERNEL" ] || [ ! -s "$INITRD" ] || [ ! -f "$R/boot$ENTRY" ]; then
	t_fail "leapp upgrade left the upgrade kernel, initramfs and boot entry in /boot" "$(ls -la "$R/boot" "$R/boot/loader/entries" 2>&1)"
	vm_done
fi
t_ok "leapp upgrade left the upgrade kernel, initramfs and boot entry in /boot"
OPTS=$(vm_entry_options "$R")
case " $OPTS " in
*" root=UUID=$RUUID "*) t_ok "the upgrade entry names the root filesystem by its UUID" ;;
*) t_fail "the upgrade entry names the root filesystem by its UUID" "options: $OPTS" ;;
esac
APPEND="$OPTS root=$RDEV console=ttyS0"
vm_log "kernel command line: $APPEND"

# the interim actors the image carries (this build's) and the custom one, as "PHASE NAME"
# (experimental ones run only when asked for)
EXPECTED_RUNS=$(
	for y in "$T_BUILD"/share/leapp/actors/*/actor.yaml "$R"/etc/leapp/repos.d/*/actors/*/actor.yaml; do
		grep -q '^experimental:[[:space:]]*true' "$y" && continue
		p=$(sed -n 's/^phase:[[:space:]]*//p' "$y" | tr -d '"'"'"' ')
		n=$(sed -n 's/^name:[[:space:]]*//p' "$y" | tr -d '"'"'"' ')
		case " $INTERIM " in *" $p "*) echo "$p $n" ;; esac
	done | sort -u
)

t=$(vm_now)
if ! vm_disk "$OUT" "$W/disk"; then
	t_fail "the disk image of the tree (mkfs.ext4 -d)"
	vm_done
fi
t_ok "the disk image of the tree ($(vm_since "$t") s)"
PRISTINE=$W/pristine.img
DISK=$W/disk/disk.img
cp --sparse=always "$DISK" "$PRISTINE"

# boot NAME TIMEOUT PATTERN EXTRA-ARGS: boot a fresh copy of the disk (NAME=again: the disk as
# the last boot left it)
boot() {
	local name=$1 timeout=$2 pattern=$3 extra=$4
	[ "$name" = again ] || cp --sparse=always "$PRISTINE" "$DISK"
	CONSOLE=$W/console-$name.log
	NAME=$name
	FAILS_BEFORE=$T_FAILS
	vm_boot "$DISK" "$KERNEL" "$INITRD" "$APPEND${extra:+ $extra}" "$CONSOLE" "$timeout" "$pattern"
	cp "$CONSOLE" "$KEEP/console-$name.log"
	cp "$CONSOLE.qemu" "$KEEP/console-$name.log.qemu" 2>/dev/null
	local s u
	s=$(vm_console_time "$CONSOLE" 'system upgrade: starting')
	u=$(vm_console_time "$CONSOLE" 'upgrade: leapp exited')
	vm_log "boot '$name': $VM_END after $VM_SECONDS s (kernel clock: upgrade.service started at ${s:-?} s, leapp done at ${u:-?} s)"
}
# boot_end: print the console of a boot with a failed check
boot_end() { [ "$T_FAILS" = "$FAILS_BEFORE" ] || vm_print_console "$KEEP/console-$NAME.log"; }
# booted: the VM reached upgrade.service (else the other boots are not worth their timeout)
booted() { grep -aq 'system upgrade: starting' "$CONSOLE"; }

# ---- break: rd.upgrade.break=leapp-pre-upgrade ----
boot break 240 'Break before leapp upgrade --resume' rd.upgrade.break=leapp-pre-upgrade
if booted; then t_ok "break: the VM boots the upgrade initramfs and starts upgrade.service"; else
	t_fail "break: the VM boots the upgrade initramfs and starts upgrade.service" "ended: $VM_END after $VM_SECONDS s"
fi
t_eq "break: stops at rd.upgrade.break=leapp-pre-upgrade (on the console)" matched "$VM_END"
if grep -aq 'Processing phase' "$CONSOLE"; then
	t_fail "break: leapp has not run at the break point"
else
	t_ok "break: leapp has not run at the break point"
fi
if grep -aA20 'Break before leapp upgrade --resume' "$CONSOLE" | grep -aq 'Entering emergency mode'; then
	t_ok "break: a shell waits on the console"
else
	t_fail "break: a shell waits on the console"
fi
boot_end
if ! booted; then
	for n in upgrade fail again; do t_fail "$n: not run, the VM does not boot the upgrade initramfs"; done
	vm_done
fi

# ---- upgrade: the interim phases, then the reboot ----
boot upgrade 420 '' ''
vm_log "boot to finished (QEMU started to QEMU exited after the guest's reboot): $VM_SECONDS s"
t_eq "upgrade: the VM reboots when the upgrade is done (QEMU exits under -no-reboot)" exited "$VM_END"
t_check "upgrade: the console says finished, rebooting" grep -aq 'system upgrade: finished; rebooting' "$CONSOLE"
vm_fsck "$W"
t_eq "upgrade: the filesystems are clean after the reboot (e2fsck)" "" "$VM_FSCK"
t_eq "upgrade: /var/tmp/system-upgrade.state says finished" finished "$(vm_cat "$VM_ROOT_FS" /var/tmp/system-upgrade.state)"
if vm_exists "$VM_ROOT_FS" /var/lib/leapp/upgrade-initramfs.failed; then
	t_fail "upgrade: no failure flag" "$(vm_cat "$VM_ROOT_FS" /var/lib/leapp/upgrade-initramfs.failed)"
else
	t_ok "upgrade: no failure flag"
fi
# /boot
if vm_exists "$VM_BOOT_FS" "$ENTRY"; then t_fail "upgrade: the upgrade boot entry is gone" "$ENTRY is still there"; else
	t_ok "upgrade: the upgrade boot entry is gone"
fi
left=""
for f in "/vmlinuz-upgrade.$ARCH" "/initramfs-upgrade.$ARCH.img"; do vm_exists "$VM_BOOT_FS" "$f" && left="$left $f"; done
t_eq "upgrade: the upgrade kernel and initramfs are gone from /boot" "" "$left"
grubenv=$(vm_cat "$VM_BOOT_FS" /grub2/grubenv | tr -d '#')
case "$grubenv" in *"next_entry=$MID-upgrade"*) t_fail "upgrade: grubenv no longer boots the upgrade entry" "$grubenv" ;;
*) t_ok "upgrade: grubenv no longer boots the upgrade entry" ;;
esac
# leapp_resume.service
unit=$(vm_cat "$VM_ROOT_FS" /etc/systemd/system/leapp_resume.service)
case "$unit" in *"upgrade --resume"*) t_ok "upgrade: leapp_resume.service is installed (it runs leapp upgrade --resume)" ;;
*) t_fail "upgrade: leapp_resume.service is installed (it runs leapp upgrade --resume)" "unit: ${unit:-missing}" ;;
esac
t_eq "upgrade: leapp_resume.service is enabled (multi-user.target.wants)" /etc/systemd/system/leapp_resume.service \
	"$(vm_readlink "$VM_ROOT_FS" /etc/systemd/system/multi-user.target.wants/leapp_resume.service)"
# the rpmdb against the planned transaction and the demo's expectations
DB=$W/read
if vm_rdump "$VM_ROOT_FS" /var/lib/rpm "$DB"; then
	rpm --dbpath "$DB/rpm" -qa --qf '%{NAME} %{EPOCHNUM} %{VERSION} %{RELEASE} %{ARCH}\n' 2>/dev/null | sort >"$W/rpmdb.after"
	jq -r '.transaction[] | select(.action == "install" or .action == "upgrade" or .action == "downgrade")
		| "\(.name) \(.epoch // 0) \(.version) \(.release) \(.arch)"' "$R/var/log/leapp/transaction.json" | sort >"$W/plan.in"
	jq -r '.transaction[] | select(.action == "remove" or .action == "obsolete")
		| "\(.name) \(.epoch // 0) \(.version) \(.release) \(.arch)"' "$R/var/log/leapp/transaction.json" | sort >"$W/plan.out"
	n=$(wc -l <"$W/plan.in")
	t_eq "upgrade: the rpmdb holds the $n planned target packages" "" "$(comm -23 "$W/plan.in" "$W/rpmdb.after" | tr '\n' ';')"
	t_eq "upgrade: the planned removals are gone from the rpmdb" "" "$(comm -12 "$W/plan.out" "$W/rpmdb.after" | tr '\n' ';')"
	want=$("$VM_PY" -c 'import sys, yaml; print(" ".join(yaml.safe_load(open(sys.argv[1]))["expected"]["after_upgrade"]))' \
		"$T_TOP/scripts/sysroot/specs/demo.yaml")
	names=" $(cut -d' ' -f1 "$W/rpmdb.after" | tr '\n' ' ') "
	miss=""
	for p in $want; do case "$names" in *" $p "*) ;; *) miss="$miss $p" ;; esac; done
	t_eq "upgrade: every package of the demo's expected.after_upgrade is installed" "" "$miss"
	t_check "upgrade: the target kernel-core ($KVER) is installed" grep -q "^kernel-core 0 $(vm_manifest "$OUT" .kernel.target.version) $(vm_manifest "$OUT" .kernel.target.release) " "$W/rpmdb.after"
	el8=$(awk '$4 ~ /\.el8/ && $1 !~ /^kernel/' "$W/rpmdb.after" | tr '\n' ';')
	t_eq "upgrade: no el8 package left but the old kernel" "" "$el8"
else
	t_fail "upgrade: the rpmdb read out of the image (debugfs rdump /var/lib/rpm)"
fi
t_check "upgrade: the target kernel's modules are on the disk" vm_exists "$VM_ROOT_FS" "/lib/modules/$KVER/vmlinuz"
t_check "upgrade: the el9 %post of demo-app ran in the VM" vm_exists "$VM_ROOT_FS" /var/lib/demo/el9-post-ran
osr=$(vm_cat "$VM_ROOT_FS" /usr/lib/os-release | sed -n 's/^VERSION_ID=//p' | tr -d '"')
t_eq "upgrade: os-release says $(vm_manifest "$OUT" .target.version)" "$(vm_manifest "$OUT" .target.version)" "$osr"
# the audit store
if vm_leapp_db "$VM_ROOT_FS" "$DB"; then
	q() { sqlite3 -batch "$DB/leapp.db" "$1"; }
	ex=$(q "select max(id) from executions where kind = 'upgrade'")
	notc=$(q "select phase || ' ' || actor || ' ' || status from actor_runs where execution = $ex and committed = 0
		and phase in ($INTERIM_SQL)" | tr '\n' ';')
	t_eq "upgrade: no interim actor run left uncommitted" "" "$notc"
	miss=""
	summary=""
	for ph in $INTERIM; do
		want=$(echo "$EXPECTED_RUNS" | awk -v p="$ph" '$1 == p {print $2}')
		c=0
		for a in $want; do
			if [ "$(q "select count(*) from actor_runs where execution = $ex and phase = '$ph' and actor = '$a'
				and committed = 1 and status = 'ok'")" -ge 1 ]; then c=$((c + 1)); else miss="$miss $ph/$a"; fi
		done
		summary="$summary $ph:$c/$(echo $want | wc -w)"
	done
	vm_log "committed interim runs:$summary"
	t_eq "upgrade: the audit store records every interim actor of the image as committed" "" "$miss"
	t_eq "upgrade: the execution goes on at FirstBoot" FirstBoot "$(q "select next_phase from executions where id = $ex")"
	# the boot id recorded with the reboot request after Finalization is the VM kernel's
	bid=$(q "select boot_id from executions where id = $ex")
	if [ -n "$bid" ] && [ "$bid" != "$(cat /proc/sys/kernel/random/boot_id)" ]; then
		t_ok "upgrade: the interim phases ran under the VM's kernel (boot id $bid)"
	else
		t_fail "upgrade: the interim phases ran under the VM's kernel" "boot id: '${bid}', this machine's: $(cat /proc/sys/kernel/random/boot_id)"
	fi
	t_eq "upgrade: the actors ran in the sandbox (no --no-sandbox entry in the report)" 0 \
		"$(q "select count(*) from report_entries where execution = $ex and title like 'Actors ran without the sandbox%'")"
else
	t_fail "upgrade: the audit store read out of the image (/var/lib/leapp/leapp.db)"
fi
log=$(vm_cat "$VM_ROOT_FS" /var/log/leapp/leapp-upgrade.log)
case "$log" in *"==== journal of the upgrade initramfs"*) t_ok "upgrade: the journal of the initramfs is in leapp-upgrade.log" ;;
*) t_fail "upgrade: the journal of the initramfs is in leapp-upgrade.log" ;;
esac
boot_end

# ---- fail: an interim actor fails ----
boot fail 240 '' leapp_vmtest_fail=1
t_check "fail: the console says the upgrade failed" grep -aq 'system upgrade: failed' "$CONSOLE"
t_eq "fail: the VM stops in the emergency shell (no reboot)" stuck "$VM_END"
vm_fsck "$W"
t_eq "fail: the filesystems are clean (e2fsck)" "" "$VM_FSCK"
t_eq "fail: /var/tmp/system-upgrade.state says failed" failed "$(vm_cat "$VM_ROOT_FS" /var/tmp/system-upgrade.state)"
flag=$(vm_cat "$VM_ROOT_FS" /var/lib/leapp/upgrade-initramfs.failed)
case "$flag" in "exit 1 at "*) t_ok "fail: the failure flag is on the disk ($flag)" ;;
*) t_fail "fail: the failure flag is on the disk" "flag: ${flag:-missing}" ;;
esac
log=$(vm_cat "$VM_ROOT_FS" /var/log/leapp/leapp-upgrade.log)
case "$log" in *"vm_test_interim"*"made to fail"*) t_ok "fail: leapp-upgrade.log names the failed actor" ;;
*) t_fail "fail: leapp-upgrade.log names the failed actor" ;;
esac
case "$log" in *"==== journal of the upgrade initramfs"*) t_ok "fail: the journal of the initramfs is in leapp-upgrade.log" ;;
*) t_fail "fail: the journal of the initramfs is in leapp-upgrade.log" ;;
esac
if vm_leapp_db "$VM_ROOT_FS" "$DB"; then
	ex=$(sqlite3 "$DB/leapp.db" "select max(id) from executions where kind = 'upgrade'")
	t_eq "fail: the audit store has the actor's run failed, uncommitted" "failed 0" \
		"$(sqlite3 -separator ' ' "$DB/leapp.db" "select status, committed from actor_runs where execution = $ex and actor = 'vm_test_interim' order by id desc limit 1")"
	t_eq "fail: the RPM upgrade did not start" 0 \
		"$(sqlite3 "$DB/leapp.db" "select count(*) from actor_runs where execution = $ex and phase = 'RPMUpgrade'")"
else
	t_fail "fail: the audit store read out of the image"
fi
boot_end

# ---- again: the failed disk booted again ----
boot again 180 '' ''
t_eq "again: the VM reboots without running leapp (QEMU exits)" exited "$VM_END"
t_check "again: the console says an earlier run failed" grep -aq 'an earlier run of the upgrade in this initramfs failed' "$CONSOLE"
if grep -aq 'Processing phase' "$CONSOLE"; then t_fail "again: leapp did not run"; else t_ok "again: leapp did not run"; fi
vm_fsck "$W"
t_eq "again: the state still says failed" failed "$(vm_cat "$VM_ROOT_FS" /var/tmp/system-upgrade.state)"
boot_end

vm_done

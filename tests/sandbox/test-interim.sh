#!/bin/bash
# The profile differs by phase: InterimPreparation may write the target userspace, and /boot when
# it declares boot, but not /etc; in the interim phases (InitRamStart ...) the same write to /etc
# succeeds, while the audit store and the host outside --root stay read-only.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../engine/lib-engine.sh"
. "$(dirname "$0")/lib-sandbox.sh"

caps() { # the CapEff of a set of capability numbers, as /proc/self/status prints it, within ours
	local v=0 c bnd
	for c in "$@"; do v=$((v | (1 << c))); done
	bnd=$(awk '/^CapBnd:/ {print $2}' /proc/self/status)
	printf '%016x' "$((v & 0x$bnd))"
}
# CHOWN DAC_OVERRIDE DAC_READ_SEARCH FOWNER FSETID SETGID SETUID SYS_CHROOT MKNOD AUDIT_WRITE SETFCAP
build=(0 1 2 3 4 6 7 18 27 29 31)

# --- InterimPreparation: refusals
root=$(sb_root)
sb_outside
out=$SB_OUT
mk_hostile "$root" ip_etc InterimPreparation write "$root/etc/target"
mk_hostile "$root" ip_boot_undeclared InterimPreparation write "$root/boot/target"
mk_hostile "$root" ip_userspace InterimPreparation must-write "$root/var/lib/leapp/el9userspace/etc/new"
mk_hostile "$root" ip_boot InterimPreparation must-write "$root/boot/new" "sandbox: {boot: true}"
mk_hostile "$root" ip_caps InterimPreparation inspect ""
mk_hostile "$root" fc_caps FactsCollection inspect ""
mk_hostile "$root" fc_caps_writes FactsCollection inspect "" "sandbox: {writes: [/var/lib/leapp/el9userspace]}"
mk_hostile "$root" fc_caps_mounts FactsCollection inspect "" "sandbox: {mounts: true}"
mk_actor "$root" good FactsCollection chain "" TestValue
before=$(cd "$root" && tar --exclude=./var/lib/leapp --exclude=./var/log/leapp --exclude=./boot -cf - . 2>/dev/null | sha256sum)
before_boot=$(sha256sum "$root/boot/target")
leapp_run "$root" upgrade --jobs 3
t_eq "the run completes, failed in InterimPreparation" "1 failed" "$E_RC $(db "$root" "select status from executions")"
check_hostile "$root" ip_etc "Read-only file system"
check_hostile "$root" ip_boot_undeclared "Read-only file system"
t_eq "ip_userspace: the target userspace is writable in InterimPreparation" 0 "$(errors_of "$root" ip_userspace)"
t_check "ip_userspace: the file is there" test -s "$root/var/lib/leapp/el9userspace/etc/new"
t_eq "ip_boot: /boot is writable for an actor that declares boot" 0 "$(errors_of "$root" ip_boot)"
t_check "ip_boot: the file is there" test -s "$root/boot/new"
t_eq "/etc/target is unchanged" "the source system's file" "$(cat "$root/etc/target")"
t_eq "/boot/target is unchanged" "$before_boot" "$(sha256sum "$root/boot/target")"
t_eq "nothing else outside leapp's directories changed" "$before" \
	"$(cd "$root" && tar --exclude=./var/lib/leapp --exclude=./var/log/leapp --exclude=./boot -cf - . 2>/dev/null | sha256sum)"
t_eq "capabilities in a source phase: CAP_DAC_READ_SEARCH only" "capeff=$(caps 2)" "$(produced_by "$root" fc_caps | grep capeff)"
t_eq "capabilities in a source phase with declared writes: the build set" "capeff=$(caps "${build[@]}")" \
	"$(produced_by "$root" fc_caps_writes | grep capeff)"
t_eq "capabilities with mounts: + CAP_SYS_ADMIN" "capeff=$(caps 2 21)" "$(produced_by "$root" fc_caps_mounts | grep capeff)"
t_eq "capabilities in InterimPreparation: the build set" "capeff=$(caps "${build[@]}")" "$(produced_by "$root" ip_caps | grep capeff)"
t_eq "the good actor's message is intact" 1 "$(committed_count "$root" good)"

# --- the interim phases: the root is writable, the store and the host are not
root=$(sb_root)
mk_hostile "$root" ip_fine InterimPreparation must-write "$root/var/lib/leapp/el9userspace/etc/new"
mk_hostile "$root" rw_etc InitRamStart write "$root/etc/target"
mk_hostile "$root" rw_sub InitRamStart write "$root/mnt/sub/target"
mk_hostile "$root" rw_db InitRamStart write "$root/var/lib/leapp/leapp.db" "" file-only
mk_hostile "$root" rw_host InitRamStart write "$out/target"
mk_hostile "$root" rw_caps InitRamStart inspect ""
mk_actor "$root" rw_good InitRamStart chain "" TestValue
leapp_run "$root" upgrade
t_eq "upgrade stops for the reboot after InterimPreparation" "0 reboot" "$E_RC $(db "$root" "select status from executions")"
leapp_run "$root" upgrade --resume
t_eq "the resumed run completes (with errors)" 1 "$E_RC"
t_eq "rw_etc: the same write to /etc succeeds in InitRamStart" 0 "$(errors_of "$root" rw_etc)"
case "$(cat "$root/etc/target")" in
	*hostile*) t_ok "rw_etc: /etc/target was written" ;;
	*) t_fail "rw_etc: /etc/target was written" "$(cat "$root/etc/target")" ;;
esac
t_eq "rw_sub: the submount of the root is writable too" 0 "$(errors_of "$root" rw_sub)"
check_hostile "$root" rw_db "Read-only file system"
check_hostile "$root" rw_host "Read-only file system"
t_eq "the host file outside the root is unchanged" "a host file outside the root" "$(cat "$out/target")"
t_check "the store passes integrity_check" test "$(db "$root" "pragma integrity_check")" = ok
t_eq "capabilities in InitRamStart: what rpm needs" "capeff=$(caps "${build[@]}" 5 9 10 24)" \
	"$(produced_by "$root" rw_caps | grep capeff)"
t_eq "rw_good's message is intact" 1 "$(committed_count "$root" rw_good)"
no_leftovers "test-interim"
t_done

#!/bin/bash
# Dangerous syscalls: reboot, kexec, module loading, the mount family, open_by_handle_at, bpf,
# swap, ptrace, user namespaces, /proc/sysrq-trigger and /proc/sys. Each gets EPERM (or the
# write is refused) and the machine is fine. The arguments are harmless: without the sandbox
# root gets another error (EINVAL, ENOENT, ...) or a harmless success, which the test catches.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../engine/lib-engine.sh"
. "$(dirname "$0")/lib-sandbox.sh"

root=$(sb_root)
calls=(reboot kexec_load kexec_file_load init_module finit_module delete_module mount mount_tmpfs umount2
	mount_setattr fsopen open_tree pivot_root open_by_handle_at bpf swapon swapoff unshare_user mknod
	keyctl add_key request_key userfaultfd perf_event_open io_uring_setup io_uring_enter io_uring_register
	settimeofday clock_settime clock_adjtime personality kcmp process_vm_readv process_vm_writev pidfd_getfd
	set_mempolicy get_mempolicy mbind move_pages setns unshare_uts sysfs ustat quotactl acct iopl ioperm uselib)
# LeakSanitizer stops threads with ptrace: a sanitizer build allows it (and records that it does)
san=$(strings "$T_LEAPP" | grep -c '__asan_init' || true)
[ "$san" -gt 0 ] || calls+=(ptrace)
for c in "${calls[@]}"; do
	mk_hostile "$root" "sc_$c" FactsCollection syscall "$c"
done
mk_hostile "$root" sc_sysctl FactsCollection syscall sysctl
mk_hostile "$root" sc_sysrq FactsCollection syscall sysrq
# declaring mounts allows the mount family, inside the actor's own mount namespace only
mk_hostile "$root" mounts_ok FactsCollection syscall mount_tmpfs "sandbox: {mounts: true}" ok
# personality: the query (and the values Docker allows) still works
mk_hostile "$root" persona_ok FactsCollection syscall personality_query "" ok
mk_actor "$root" good FactsCollection chain "" TestValue

host_mounts=$(awk '{print $5, $6}' /proc/self/mountinfo | sort | sha256sum)
modules=$(cat /proc/modules 2>/dev/null | sha256sum)
cad=$(cat /proc/sys/kernel/ctrl-alt-del 2>/dev/null)
hostname=$(cat /proc/sys/kernel/hostname)
before=$(tree_hash "$root")
leapp_run "$root" preupgrade --jobs 4
t_eq "the run completes (with errors)" 1 "$E_RC"
for c in "${calls[@]}"; do
	check_hostile "$root" "sc_$c" "$c failed: Operation not permitted"
done
check_hostile "$root" sc_sysctl "sysctl failed: Read-only file system"
if [ -e /proc/sysrq-trigger ]; then
	check_hostile "$root" sc_sysrq "sysrq failed: Read-only file system"
else
	# this kernel has no CONFIG_MAGIC_SYSRQ: the file is absent, inside and out
	check_hostile "$root" sc_sysrq "sysrq failed: No such file or directory"
fi
t_eq "mounts_ok: an actor that declares mounts may mount (in its own namespace)" 0 "$(errors_of "$root" mounts_ok)"
t_eq "persona_ok: personality(0xffffffff), the query, is allowed" 0 "$(errors_of "$root" persona_ok)"
t_eq "the good actor's message is intact" 1 "$(committed_count "$root" good)"
t_eq "the machine is fine: its mounts are unchanged" "$host_mounts" "$(awk '{print $5, $6}' /proc/self/mountinfo | sort | sha256sum)"
t_eq "the machine is fine: its modules are unchanged" "$modules" "$(cat /proc/modules 2>/dev/null | sha256sum)"
t_eq "the machine is fine: ctrl-alt-del is unchanged" "$cad" "$(cat /proc/sys/kernel/ctrl-alt-del 2>/dev/null)"
t_eq "the machine is fine: the hostname is unchanged" "$hostname" "$(cat /proc/sys/kernel/hostname)"
t_eq "nothing in the root changed" "$before" "$(tree_hash "$root")"
t_check "the machine is fine: / is still writable" touch "$(t_tmpdir)/still-writable"
t_check "the scratch mount of mounts_ok did not reach the host" bash -c "! grep -q ' $root/var/lib/leapp/scratch/mounts_ok ' /proc/self/mountinfo"
no_leftovers "test-syscalls"
t_done

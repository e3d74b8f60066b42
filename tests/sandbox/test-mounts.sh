#!/bin/bash
# sandbox: {mounts: true} never switches the sandbox off: such an actor runs in a user namespace of
# its own, identity-mapped, where the mounts it inherited are locked. It can bind /proc into a
# chroot below its scratch directory, but cannot unmount the mask of the audit store, remount the
# read-only root or the mask read-write, or bind a directory without the mounts that hide the
# store; in a source phase and in InterimPreparation. Nothing outside the profile changes.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../engine/lib-engine.sh"
. "$(dirname "$0")/lib-sandbox.sh"

for phase in FactsCollection InterimPreparation; do
	root=$(sb_root)
	state=$root/var/lib/leapp
	M="sandbox: {mounts: true}"
	mk_hostile "$root" m_umount_store $phase mount-op "umount|$state/leapp.db" "$M"
	mk_hostile "$root" m_umount_wal $phase mount-op "umount|$state/leapp.db-wal" "$M"
	mk_hostile "$root" m_umount_sub $phase mount-op "umount|$root/mnt/sub" "$M"
	mk_hostile "$root" m_remount_root $phase mount-op "remount-rw|$root/mnt/sub" "$M"
	mk_hostile "$root" m_remount_fs $phase mount-op "remount-rw-fs|$root/mnt/sub" "$M"
	mk_hostile "$root" m_remount_store $phase mount-op "remount-rw|$state/leapp.db" "$M"
	mk_hostile "$root" m_reveal $phase mount-op "reveal|$state|$state/scratch/m_reveal/revealed" "$M"
	mk_hostile "$root" m_chroot $phase mount-op "rbind-ok|/proc|$state/scratch/m_chroot/proc" "$M"
	mk_hostile "$root" m_write_store $phase write "$state/leapp.db" "$M" file-only
	mk_actor "$root" good FactsCollection chain "" TestValue
	# the store exists (and is masked) from the second run on
	leapp_run "$root" preupgrade
	before=$(tree_hash "$root")
	host_mounts=$(awk '{print $5, $6}' /proc/self/mountinfo | sort | sha256sum)
	if [ $phase = FactsCollection ]; then leapp_run "$root" preupgrade; else leapp_run "$root" upgrade; fi
	t_eq "$phase: the run completes, with the hostile actors' errors" 1 "$E_RC"
	for a in m_umount_store m_umount_wal m_umount_sub; do
		check_hostile "$root" $a "failed: Invalid argument" # locked: EINVAL
	done
	for a in m_remount_root m_remount_fs m_remount_store; do
		check_hostile "$root" $a "failed: Operation not permitted"
	done
	check_hostile "$root" m_reveal "failed: Invalid argument"
	check_hostile "$root" m_write_store "Read-only file system"
	t_eq "$phase: m_chroot: binding /proc into a chroot below its scratch works" 0 "$(errors_of "$root" m_chroot)"
	t_check "$phase: the store passes integrity_check" test "$(db "$root" "pragma integrity_check")" = ok
	t_eq "$phase: nothing outside leapp's directories changed" "$before" "$(tree_hash "$root")"
	t_eq "$phase: the host's mounts are unchanged" "$host_mounts" "$(awk '{print $5, $6}' /proc/self/mountinfo | sort | sha256sum)"
done
no_leftovers "test-mounts"
t_done

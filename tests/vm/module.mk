# tests/vm: the upgrade initramfs and the live image booted in QEMU (issue 11). make check runs
# both tests once, in the plain pass of tests/run-tests (they are "# san: skip"); make vm-test
# runs them alone.
#   make vm-test VM_KEEP=1   keep the trees, disk images and logs in build/vm-test/{work,live}
vm-test: all
	VM_KEEP=$(VM_KEEP) tests/run-tests tests/vm/test-vm-

# the network in the upgrade initramfs booted (LEAPP_DEVEL_INITRAM_NETWORK=scripts, QEMU's
# user-mode NIC with restrict=on): one more upgrade boot, not in make check (its time budget)
vm-network: all
	VM_KEEP=$(VM_KEEP) T_BUILD=$(CURDIR)/$(BUILD) bash tests/vm/check-vm-network.sh
.PHONY: vm-network

# vm-lvm: the upgrade initramfs booted on LVM (tests/vm/test-vm-lvm.sh: /, /usr and swap on
# logical volumes, the kernel command line activating only root and swap). Not in make check
# nor make vm-test (the file says "# long:"); 5.5 to 8 minutes on the 2-core test machine.
#   make vm-lvm VM_KEEP=1   keep the tree, disk image and logs in build/vm-test/lvm
vm-lvm: all
	T_LONG=1 VM_KEEP=$(VM_KEEP) tests/run-tests tests/vm/test-vm-lvm.sh

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

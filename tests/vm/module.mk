# tests/vm: the upgrade initramfs booted in QEMU (issue 11). make check runs the test once, in
# the plain pass of tests/run-tests (it is "# san: skip"); make vm-test runs it alone.
#   make vm-test VM_KEEP=1   keep the tree, the disk image and the logs in build/vm-test/work
vm-test: all
	VM_KEEP=$(VM_KEEP) tests/run-tests tests/vm/test-vm-

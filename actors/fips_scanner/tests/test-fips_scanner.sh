#!/bin/bash
# fips_scanner: fips=1 on the kernel command line (the last fips= wins), proc/sys/crypto/fips_enabled
# and /etc/system-fips.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
R=$F_DIR/root
mkdir -p "$R/proc/sys/crypto" "$R/etc"
echo 1 >"$R/proc/sys/crypto/fips_enabled"
touch "$R/etc/system-fips"
mk_input "$F_DIR/in.json" "$(ipu 8.10 9.6)" KernelInfo '{"cmdline":"BOOT_IMAGE=/vmlinuz ro fips=1 boot=UUID=abcd"}'
run_actor fips_scanner "$R" "$F_DIR/in.json"
t_eq "FIPS on" 'true true true' "$(msg FIPSInfo .is_enabled) $(msg FIPSInfo .kernel_fips_enabled) $(msg FIPSInfo .system_fips_file)"
mk_input "$F_DIR/in.json" "$(ipu 8.10 9.6)" KernelInfo '{"cmdline":"ro fips=1 fips=0"}'
rm -r "$R/proc/sys/crypto" "$R/etc/system-fips"
run_actor fips_scanner "$R" "$F_DIR/in.json"
t_eq "fips=0 last: off; kernel state unknown" 'false null false' "$(msg FIPSInfo .is_enabled) $(msg FIPSInfo .kernel_fips_enabled) $(msg FIPSInfo .system_fips_file)"
t_done

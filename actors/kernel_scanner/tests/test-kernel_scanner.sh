#!/bin/bash
# kernel_scanner: the running kernel, the installed kernels (kernel-core, or el7's kernel),
# the newest one by rpm version order, and whether it is the one booted.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"

pkg() { printf '{"name":"%s","epoch":0,"version":"%s","release":"%s","arch":"x86_64","install_time":%s}' "$@"; }
rpms() { local IFS=,; printf '{"items":[%s]}' "$*"; }

f_tmpdir
R=$F_DIR/root
mkdir -p "$R/proc/sys/kernel"
echo "4.18.0-80.el8.x86_64" >"$R/proc/sys/kernel/osrelease"
echo "BOOT_IMAGE=(hd0,msdos1)/vmlinuz-4.18.0-80.el8.x86_64 root=/dev/vda2 ro" >"$R/proc/cmdline"
IN=$F_DIR/in.json
mk_input "$IN" "$(ipu 8.10 9.6)" InstalledRPM "$(rpms "$(pkg kernel 4.18.0 553.el8_10 2)" "$(pkg kernel-core 4.18.0 553.el8_10 2)" \
	"$(pkg kernel 4.18.0 80.el8 1)" "$(pkg kernel-core 4.18.0 80.el8 1)" "$(pkg kernel-tools 4.18.0 553.el8_10 2)")"
run_actor kernel_scanner "$R" "$IN"
t_eq "runs" 0 "$A_RC"
t_eq "running" '"4.18.0-80.el8.x86_64"' "$(msg KernelInfo .running)"
t_check "cmdline" grep -q "root=/dev/vda2" <<<"$(msg KernelInfo .cmdline)"
t_eq "installed: kernel-core only (kernel is the el8 meta package)" '"kernel-core:4.18.0-553.el8_10.x86_64 kernel-core:4.18.0-80.el8.x86_64"' \
	"$(msg KernelInfo '[.installed[] | "\(.name):\(.uname_r)"] | sort | join(" ")')"
t_eq "newest by rpm order (553 > 80, not string order)" '"4.18.0-553.el8_10.x86_64"' "$(msg KernelInfo .newest)"
t_eq "not booted into the newest" 'false' "$(msg KernelInfo .booted_newest)"

echo "4.18.0-553.el8_10.x86_64" >"$R/proc/sys/kernel/osrelease"
run_actor kernel_scanner "$R" "$IN"
t_eq "booted into the newest" 'true' "$(msg KernelInfo .booted_newest)"

mk_input "$IN" "$(ipu 7.9 8.10)" InstalledRPM "$(rpms "$(pkg kernel 3.10.0 1160.el7 1)" "$(pkg kernel 3.10.0 1160.119.1.el7 2)")"
echo "3.10.0-1160.el7.x86_64" >"$R/proc/sys/kernel/osrelease"
run_actor kernel_scanner "$R" "$IN"
t_eq "el7: kernel packages" '"3.10.0-1160.119.1.el7.x86_64 false"' "$(msg KernelInfo '"\(.newest) \(.booted_newest)"')"

rm "$R/proc/sys/kernel/osrelease" "$R/proc/cmdline"
run_actor kernel_scanner "$R" "$IN"
t_eq "no osrelease: running unknown, booted_newest unknown" '"null null"' "$(msg KernelInfo '"\(.running) \(.booted_newest)"')"
t_eq "no osrelease: warnings" "$(k_sorted "$(k_unknown_fact /proc/cmdline)" "$(k_unknown_fact /proc/sys/kernel/osrelease)")" "$(report_keys)"
t_done

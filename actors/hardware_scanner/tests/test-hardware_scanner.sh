#!/bin/bash
# hardware_scanner: MemTotal, the CPU flags and the x86-64 level they give, s390x machine
# types, and "unknown" (a warning, null facts) when proc files are missing.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"

V1="fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2 syscall nx lm rep_good nopl cpuid pni hypervisor"
V2="$V1 ssse3 cx16 sse4_1 sse4_2 popcnt lahf_lm"
V3="$V2 fma movbe xsave avx f16c abm bmi1 avx2 bmi2"
V4="$V3 avx512f avx512dq avx512cd avx512bw avx512vl"

# mkroot FLAGS: a root with meminfo and a two-processor cpuinfo
mkroot() {
	f_tmpdir
	R=$F_DIR/root
	mkdir -p "$R/proc"
	printf 'MemTotal:        1032192 kB\nMemFree:          500000 kB\nSwapTotal:       2097148 kB\n' >"$R/proc/meminfo"
	for i in 0 1; do
		printf 'processor\t: %s\nvendor_id\t: AuthenticAMD\nmodel name\t: QEMU Virtual CPU version 2.5+\nflags\t\t: %s\n\n' "$i" "$1"
	done >"$R/proc/cpuinfo"
}
f_tmpdir
IN=$F_DIR/in.json
mk_input "$IN" "$(ipu 8.10 9.6)"

mkroot "$V1"
run_actor hardware_scanner "$R" "$IN"
t_eq "runs" 0 "$A_RC"
t_eq "MemTotal" '1032192' "$(msg MemoryInfo .mem_total_kib)"
t_eq "SwapTotal" '2097148' "$(msg MemoryInfo .swap_total_kib)"
t_eq "processors" '2' "$(msg CPUInfo .count)"
t_eq "model" '"QEMU Virtual CPU version 2.5+"' "$(msg CPUInfo .model_name)"
t_eq "qemu64 flags: x86-64 baseline (level 1)" '1' "$(msg CPUInfo .x86_64_level)"
mkroot "$V2"; run_actor hardware_scanner "$R" "$IN"
t_eq "x86-64-v2" '2' "$(msg CPUInfo .x86_64_level)"
mkroot "$V3"; run_actor hardware_scanner "$R" "$IN"
t_eq "x86-64-v3" '3' "$(msg CPUInfo .x86_64_level)"
mkroot "$V4"; run_actor hardware_scanner "$R" "$IN"
t_eq "x86-64-v4" '4' "$(msg CPUInfo .x86_64_level)"
mkroot "${V2/popcnt/}"; run_actor hardware_scanner "$R" "$IN"
t_eq "one v2 flag missing (popcnt): level 1" '1' "$(msg CPUInfo .x86_64_level)"
t_eq "no reports when everything is known" "" "$(report_keys)"

rm "$R/proc/meminfo"
run_actor hardware_scanner "$R" "$IN"
t_eq "no meminfo: still runs" 0 "$A_RC"
t_eq "no meminfo: size unknown (null)" 'null' "$(msg MemoryInfo .mem_total_kib)"
t_eq "no meminfo: a low warning, not an inhibitor" "$(k_unknown_fact /proc/meminfo)|low|" \
	"$(report "$(k_unknown_fact /proc/meminfo)" '"\(.key)|\(.severity)|\(.groups | map(select(. == "inhibitor")) | join(","))"')"
rm "$R/proc/cpuinfo"
run_actor hardware_scanner "$R" "$IN"
t_eq "no cpuinfo: level unknown" 'null' "$(msg CPUInfo .x86_64_level)"
t_check "no cpuinfo: reported" grep -q "$(k_unknown_fact /proc/cpuinfo)" <<<"$(report_keys)"

f_tmpdir
R=$F_DIR/root
mkdir -p "$R/proc"
printf 'vendor_id       : IBM/S390\n# processors    : 4\nbogomips per cpu: 3033.00\nfeatures\t: esan3 zarch stfle msa ldisp eimm dfp edat etf3eh highgprs te vx sie\nprocessor 0: version = FF,  identification = 0133E8,  machine = 2827\n' >"$R/proc/cpuinfo"
mk_input "$F_DIR/s390.json" "$(ipu 8.10 9.6 s390x)"
run_actor hardware_scanner "$R" "$F_DIR/s390.json"
t_eq "s390x: machine type and processors" '"2827 4 null"' "$(msg CPUInfo '"\(.machine_type) \(.count) \(.x86_64_level)"')"
t_done

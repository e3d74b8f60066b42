#!/bin/bash
# net_naming_scheme: net.naming-scheme=rhel-8.0 for the upgrade and target kernels with
# rhel-net-naming-sysattrs (8 -> 9); not when the command line has net.ifnames=0 or a scheme;
# one eth0 NIC gets net.ifnames=0; several NICs with ethX names inhibit.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
T='Unsupported network configuration'
entry() { printf '%s' "$A_OUT" | jq -c --arg t "$T" "[.reports[] | select(.title == \$t)] | last | $1"; }
titles() { printf '%s' "$A_OUT" | jq -r '[.reports[].title] | join("|")'; }
args() { printf '%s' "$A_OUT" | jq -c --arg m "$1" '[.messages[] | select(.model == $m) | .data.to_add[] | "\(.key)=\(.value)"]'; }
nics() { local s="" a=""; for n; do a="$a$s{\"name\":\"${n%:*}\",\"physical\":${n#*:}}"; s=,; done; printf '{"interfaces_known":true,"interfaces":[%s]}' "$a"; }
kern() { printf '{"cmdline":"%s"}' "$1"; }
mk_input "$F_DIR/in.json" "$(ipu 8.10 9.6)" NetworkConfig "$(nics lo:false enp1s0:true)" KernelInfo "$(kern 'BOOT_IMAGE=/vmlinuz root=/dev/vda1 ro')"
run_actor net_naming_scheme / "$F_DIR/in.json"
t_eq "upgrade kernel: rhel-8.0 scheme" '["net.naming-scheme=rhel-8.0"]' "$(args UpgradeKernelCmdlineArgTasks)"
t_eq "target kernel: rhel-8.0 scheme" '["net.naming-scheme=rhel-8.0"]' "$(args TargetKernelCmdlineArgTasks)"
t_eq "the package, in the userspace and the transaction" '["rhel-net-naming-sysattrs"] ["rhel-net-naming-sysattrs"]' \
	"$(msg TargetUserSpaceTasks .packages) $(msg RpmTransactionTasks .to_install)"
t_eq "no report" "" "$(titles)"
for c in 'ro net.ifnames=0' 'ro net.naming-scheme=rhel-8.4'; do
	mk_input "$F_DIR/in.json" "$(ipu 8.10 9.6)" NetworkConfig "$(nics enp1s0:true)" KernelInfo "$(kern "$c")"
	run_actor net_naming_scheme / "$F_DIR/in.json"
	t_eq "'$c': no argument, the package still" '[] [] ["rhel-net-naming-sysattrs"]' \
		"$(args UpgradeKernelCmdlineArgTasks) $(args TargetKernelCmdlineArgTasks) $(msg RpmTransactionTasks .to_install)"
done
mk_input "$F_DIR/in.json" "$(ipu 8.10 9.6)" NetworkConfig "$(nics lo:false eth0:true)" KernelInfo "$(kern 'ro')"
run_actor net_naming_scheme / "$F_DIR/in.json"
t_eq "one eth0 NIC: net.ifnames=0 too, no inhibitor" '["net.naming-scheme=rhel-8.0","net.ifnames=0"] ' "$(args TargetKernelCmdlineArgTasks) $(titles)"
mk_input "$F_DIR/in.json" "$(ipu 8.10 9.6)" NetworkConfig "$(nics eth0:true eth1:true lo:false)" KernelInfo "$(kern 'ro')"
run_actor net_naming_scheme / "$F_DIR/in.json"
t_eq "eth0 and eth1: high inhibitor" '"high" ["network","inhibitor"]' "$(entry .severity) $(entry .groups)"
t_eq "names the interfaces" '["eth0","eth1"]' "$(entry '[.detail.related_resources[].title]')"
mk_input "$F_DIR/in.json" "$(ipu 8.10 9.6)" NetworkConfig "$(nics eth0:true enp2s0:true)" KernelInfo "$(kern 'ro')"
run_actor net_naming_scheme / "$F_DIR/in.json"
t_eq "eth0 beside enp2s0: inhibitor" "$T" "$(titles)"
mk_input "$F_DIR/in.json" "$(ipu 8.10 9.6)" NetworkConfig "$(nics eth0:false eth1:false enp2s0:true)" KernelInfo "$(kern 'ro')"
run_actor net_naming_scheme / "$F_DIR/in.json"
t_eq "virtual ethX (no device): no inhibitor" "" "$(titles)"
mk_input "$F_DIR/in.json" "$(ipu 7.9 8.10)" NetworkConfig "$(nics enp1s0:true)" KernelInfo "$(kern 'ro')"
run_actor net_naming_scheme / "$F_DIR/in.json"
t_eq "7 -> 8: no scheme, no package" '[] null' "$(args TargetKernelCmdlineArgTasks) $(msg RpmTransactionTasks .to_install)"
t_done

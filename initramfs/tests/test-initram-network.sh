#!/bin/bash
# initram_network: without LEAPP_DEVEL_INITRAM_NETWORK nothing of the network goes into the
# upgrade initramfs; with network-manager the network-manager module, the system's keyfiles
# (0600), NetworkManager in the userspace, rd.neednet=1 and upgrade.service after the network;
# with scripts the network module and ip=dhcp. Then a host dracut image holds the keyfile and
# the drop-in. (The VM proof, the interface up with its address, is not here.)
. "$(dirname "$0")/../../tests/lib.sh"
. "$(dirname "$0")/lib-initramfs.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
R=$F_DIR/root
S=$F_DIR/scratch
mkdir -p "$R/etc/NetworkManager/system-connections" "$R/etc/NetworkManager/conf.d" "$S"
printf '[connection]\nid=eth0\ntype=ethernet\ninterface-name=eth0\n[ipv4]\nmethod=manual\naddress1=10.0.2.15/24,10.0.2.2\n' \
	>"$R/etc/NetworkManager/system-connections/eth0.nmconnection"
printf '[main]\nplugins=keyfile\n' >"$R/etc/NetworkManager/NetworkManager.conf"
printf '{"workflow": %s, "scratch": "%s", "messages": []}\n' "$(ipu 8.10 9.6)" "$S" >"$F_DIR/in.json"
M=$S/99leapp-network

unset LEAPP_DEVEL_INITRAM_NETWORK
run_actor initram_network "$R" "$F_DIR/in.json"
t_eq "no switch: no message, no module" "0 0 no" "$A_RC $(printf '%s' "$A_OUT" | jq '.messages | length') $([ -e "$M" ] && echo yes || echo no)"
LEAPP_DEVEL_INITRAM_NETWORK=network-manager run_actor initram_network "$R" "$F_DIR/in.json"
t_eq "the switch without LEAPP_UNSUPPORTED: ignored, with a warning" "0 1" \
	"$(printf '%s' "$A_OUT" | jq '.messages | length') $(printf '%s' "$A_OUT" | jq '[.logs[] | select(.level == "warning")] | length')"

export LEAPP_UNSUPPORTED=1
LEAPP_DEVEL_INITRAM_NETWORK=network-manager run_actor initram_network "$R" "$F_DIR/in.json"
t_eq "network-manager: the modules" "network-manager=null leapp-network=$M" \
	"$(msgr UpgradeInitramfsTasks '[.include_dracut_modules[] | "\(.name)=\(.module_path)"] | join(" ")')"
t_eq "rd.neednet=1, no ip=dhcp (the keyfile configures eth0)" '["rd.neednet=1"]' "$(msg UpgradeKernelCmdlineArgTasks '[.to_add[] | "\(.key)=\(.value)"]')"
t_eq "NetworkManager in the userspace" '["NetworkManager"]' "$(msg TargetUserSpaceTasks .packages)"
t_eq "the keyfile copied, 0600" "600 $(md5sum <"$R/etc/NetworkManager/system-connections/eth0.nmconnection")" \
	"$(stat -c %a "$M/files/etc/NetworkManager/system-connections/eth0.nmconnection") $(md5sum <"$M/files/etc/NetworkManager/system-connections/eth0.nmconnection")"
t_check "upgrade.service after the network" grep -q '^After=network-online.target nm-wait-online-initrd.service' "$M/50-leapp-network.conf"
t_check "... and it logs the addresses it starts with" grep -qx 'ExecStartPre=-/bin/sh -c "ip -4 -o address show scope global"' "$M/50-leapp-network.conf"
LEAPP_DEVEL_INITRAM_NETWORK=scripts run_actor initram_network "$R" "$F_DIR/in.json"
t_eq "scripts: the network module, ip=dhcp" "network rd.neednet=1 ip=dhcp null" \
	"$(msgr UpgradeInitramfsTasks '.include_dracut_modules[0].name') $(msgr UpgradeKernelCmdlineArgTasks '[.to_add[] | "\(.key)=\(.value)"] | join(" ")') $(msg TargetUserSpaceTasks .)"
LEAPP_DEVEL_INITRAM_NETWORK=network-manager run_actor initram_network "$R" "$F_DIR/in.json"

if ir_dracut_module "$M" leapp-network "$F_DIR"; then
	L=$IR_LIST
	for f in etc/NetworkManager/system-connections/eth0.nmconnection etc/NetworkManager/NetworkManager.conf \
		usr/lib/systemd/system/upgrade.service.d/50-leapp-network.conf; do
		t_check "in the image: $f" grep -qx -- "$f" <<<"$L"
	done
	t_check "the keyfile 0600 in the image" grep -q -- '^-rw------- .* etc/NetworkManager/system-connections/eth0.nmconnection$' <<<"$(lsinitrd "$F_DIR/img" 2>/dev/null)"
fi
t_done

#!/bin/bash
# The admin's dnf configuration for the upgrade: repositories_scanner reads
# /etc/leapp/files/dnf.conf instead of /etc/dnf/dnf.conf (its excludes reach DNFConfig);
# copy_dnf_conf_into_target_userspace puts it (else the system's) into the target userspace;
# apply_custom_dnf_conf makes it /etc/dnf/dnf.conf after the upgrade, keeping the old one, and
# a second run changes nothing.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
R=$F_DIR/root
U=$F_DIR/el9userspace
mkdir -p "$R/etc/dnf" "$R/etc/leapp/files" "$U"
printf '[main]\ngpgcheck=1\nexclude=kernel*\n' >"$R/etc/dnf/dnf.conf"
mk_input "$F_DIR/ipu.json" "$(ipu 8.10 9.6)"
run_actor repositories_scanner "$R" "$F_DIR/ipu.json"
t_eq "without a custom file: the system's excludes" '["kernel*"]' "$(msg DNFConfig .exclude)"
printf '[main]\ngpgcheck=1\nexclude=foo*\nproxy=http://proxy.example:3128\n' >"$R/etc/leapp/files/dnf.conf"
run_actor repositories_scanner "$R" "$F_DIR/ipu.json"
t_eq "with /etc/leapp/files/dnf.conf: its excludes" '["foo*"]' "$(msg DNFConfig .exclude)"

mk_input "$F_DIR/us.json" "$(ipu 8.10 9.6)" TargetUserSpaceInfo "{\"path\":\"$U\",\"path_in_root\":\"/var/lib/leapp/el9userspace\",\"target_major\":9,\"packages\":[],\"kernel_version\":null}"
run_actor copy_dnf_conf_into_target_userspace "$R" "$F_DIR/us.json"
t_eq "copy: runs" 0 "$A_RC"
t_eq "copy: the custom file is in the userspace" "$(cat "$R/etc/leapp/files/dnf.conf")" "$(cat "$U/etc/dnf/dnf.conf")"
rm "$R/etc/leapp/files/dnf.conf"
run_actor copy_dnf_conf_into_target_userspace "$R" "$F_DIR/us.json"
t_eq "copy without a custom file: the system's" "$(cat "$R/etc/dnf/dnf.conf")" "$(cat "$U/etc/dnf/dnf.conf")"

printf '[main]\ngpgcheck=1\nexclude=foo*\n' >"$R/etc/leapp/files/dnf.conf"
cp "$R/etc/dnf/dnf.conf" "$F_DIR/old"
run_actor apply_custom_dnf_conf "$R"
t_eq "apply: runs" 0 "$A_RC"
t_eq "apply: the custom file is /etc/dnf/dnf.conf" "$(printf '[main]\ngpgcheck=1\nexclude=foo*')" "$(cat "$R/etc/dnf/dnf.conf")"
t_eq "apply: the old one is kept" "$(cat "$F_DIR/old")" "$(cat "$R/etc/dnf/dnf.conf.leappsave")"
t_check "apply: /etc/leapp/files/dnf.conf is gone" test ! -e "$R/etc/leapp/files/dnf.conf"
run_actor apply_custom_dnf_conf "$R"
t_eq "apply twice: nothing changes" "$(printf '[main]\ngpgcheck=1\nexclude=foo*')|$(cat "$F_DIR/old")" "$(cat "$R/etc/dnf/dnf.conf")|$(cat "$R/etc/dnf/dnf.conf.leappsave")"
t_done

#!/bin/bash
# check_network_fs: network filesystems in fstab, or mounted, inhibit.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
local_fs='{"source":"UUID=1","target":"/","fstype":"xfs","line":1}'
nfs='{"source":"nfs.example.com:/export","target":"/mnt/data","fstype":"nfs","network":true,"line":4}'
cifs='{"source":"//srv/share","target":"/mnt/share","fstype":"cifs","network":true,"line":5}'
nfs4m='{"source":"nfs.example.com:/export","target":"/mnt/data","fstype":"nfs4","network":true}'
mk_input "$F_DIR/in.json" "$(ipu 8.10 9.6)" StorageInfo "{\"fstab\":[$local_fs],\"mounts\":[]}"
run_actor check_network_fs / "$F_DIR/in.json"
t_eq "local filesystems only: nothing" "" "$(report_keys)"
mk_input "$F_DIR/in.json" "$(ipu 8.10 9.6)" StorageInfo "{\"fstab\":[$local_fs,$nfs,$cifs],\"mounts\":[]}"
run_actor check_network_fs / "$F_DIR/in.json"
t_eq "nfs and cifs in fstab: inhibitor" "nfs-in-fstab" "$(inhibitor_keys)"
t_check "both listed with their lines" grep -q "/mnt/share (cifs), /etc/fstab line 5" <<<"$(report nfs-in-fstab .summary)"
mk_input "$F_DIR/in.json" "$(ipu 8.10 9.6)" StorageInfo "{\"fstab\":[$local_fs],\"mounts\":[$nfs4m]}"
run_actor check_network_fs / "$F_DIR/in.json"
t_eq "mounted nfs4 only: inhibitor" "network-fs-mounted" "$(inhibitor_keys)"
t_done

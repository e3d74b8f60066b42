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
t_eq "nfs and cifs in fstab: an inhibitor each, with upstream's titles' keys" "$(printf '%s\n' "$K_NFS_IN_FSTAB" "$K_CIFS" | sort | tr '\n' ' ' | sed 's/ $//')" "$(inhibitor_keys)"
t_eq "the NFS inhibitor has upstream's title" "Use of NFS detected. Upgrade can't proceed" "$(report "$K_NFS_IN_FSTAB" .title)"
t_eq "its key is the one infra.leapp maps to leapp_nfs_detected" 9881b25faceeeaa7a6478bcdac29afd7f6baaaed "$K_NFS_IN_FSTAB"
t_check "each listed with its line" grep -q "/mnt/share (cifs), /etc/fstab line 5" <<<"$(report "$K_CIFS" .summary)"
t_check "the nfs one in the NFS inhibitor" grep -q "/mnt/data (nfs), /etc/fstab line 4" <<<"$(report "$K_NFS_IN_FSTAB" .summary)"
mk_input "$F_DIR/in.json" "$(ipu 8.10 9.6)" StorageInfo "{\"fstab\":[$local_fs],\"mounts\":[$nfs4m]}"
run_actor check_network_fs / "$F_DIR/in.json"
t_eq "mounted nfs4 only: inhibitor" "${K_NETWORK_FS_MOUNTED}" "$(inhibitor_keys)"
t_done

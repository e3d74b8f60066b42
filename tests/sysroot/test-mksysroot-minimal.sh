#!/bin/bash
# san: skip (scripts/mksysroot is Python; the sanitizer build changes nothing it runs)
# Builds the 'minimal' synthetic system and checks the tree against the contract of
# DESIGN.md section 4 with rpm --root and plain file checks.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/sysroot-lib.sh"

sr_tmpdir
out=$tmp/minimal
R=$out/root
M=$out/manifest.json

if ! sr_build minimal "$out"; then
	t_fail "mksysroot minimal builds" "$(tail -20 "$out.log")"
	t_done; exit 1
fi
t_ok "mksysroot minimal builds"

for p in root repos keys/vendor.asc keys/other.asc manifest.json; do
	[ -e "$out/$p" ] && t_ok "OUTDIR has $p" || t_fail "OUTDIR has $p"
done

# usrmerge
ok=1
for l in bin:usr/bin sbin:usr/sbin lib:usr/lib lib64:usr/lib64; do
	[ "$(readlink "$R/${l%%:*}")" = "${l#*:}" ] || ok=0
done
[ $ok = 1 ] && t_ok "usrmerge symlinks" || t_fail "usrmerge symlinks" "$(ls -l "$R")"

# the rpmdb: every package of the manifest, nothing else but the gpg-pubkey
want=$(sr_json "$M" '"\n".join(sorted(p["nevra"] for p in d["installed"]))')
have=$(sr_rpm "$R" -qa --qf '%{name}-%|epoch?{%{epoch}:}:{}|%{version}-%{release}.%{arch}\n' | grep -v '^gpg-pubkey' | sort)
t_eq "rpm -qa lists exactly the manifest's installed packages" "$want" "$have"
t_check "rpm -Va finds nothing to report" sr_rpm "$R" -Va
vkey=$(sr_json "$M" 'd["keys"]["vendor"]["keyid"]')
bad=$(sr_rpm "$R" -qa --qf '%{name} %{rsaheader:pgpsig}\n' | grep -v '^gpg-pubkey' | grep -v "Key ID $vkey" || true)
t_eq "every minimal package is signed with the vendor key ($vkey)" "" "$bad"
t_eq "the vendor key is imported as gpg-pubkey-<short id>-<created>" \
	"$(sr_json "$M" 'd["keys"]["vendor"]["gpg_pubkey"]')" "$(sr_rpm "$R" -q gpg-pubkey)"
sigs=$(sr_json "$R/etc/leapp/files/distro/almalinux/gpg-signatures.json" 'd["keys"]')
t_eq "gpg-signatures.json names the vendor key as rpm -q gpg-pubkey does" \
	"{\"$vkey\": [\"$(sr_rpm "$R" -q gpg-pubkey)\"]}" "$sigs"

# scriptlets ran inside the tree (busybox /bin/sh)
t_eq "rpm's %post really ran in the tree" "rpm %post ran" "$(cat "$R/var/lib/rpm-state/mksysroot-post-ran" 2>&1)"
t_check "/bin/sh in the tree is a static busybox that runs" \
	bash -c "! readelf -l '$R/usr/bin/bash' | grep -q INTERP && '$R/bin/sh' -c 'exit 0'"

# release files
. "$R/etc/os-release"
t_eq "os-release ID and VERSION_ID" "almalinux 8.10" "$ID $VERSION_ID"
t_eq "redhat-release" "AlmaLinux release 8.10 (Cerulean Leopard)" "$(cat "$R/etc/redhat-release")"
mid=$(cat "$R/etc/machine-id")
t_eq "machine-id matches the manifest" "$(sr_json "$M" 'd["machine_id"]')" "$mid"

# kernel, BLS entry, grubenv, and the kernel facts agree with each other and fstab
kver=$(cat "$R/proc/sys/kernel/osrelease")
t_eq "running kernel is 4.18.0-553.el8_10.x86_64" "4.18.0-553.el8_10.x86_64" "$kver"
t_check "kernel-core owns /lib/modules/$kver/vmlinuz" \
	bash -c "rpm --root '$R' --dbpath /var/lib/rpm -qf /lib/modules/$kver/vmlinuz 2>/dev/null | grep -q '^kernel-core-4.18.0-553'"
for f in "vmlinuz-$kver" "initramfs-$kver.img" "loader/entries/$mid-$kver.conf" grub2/grubenv; do
	[ -s "$R/boot/$f" ] || t_fail "/boot/$f exists"
done
t_ok "/boot has the kernel, initramfs, BLS entry and grubenv"
t_check "the BLS entry names the kernel and \$kernelopts" \
	grep -qx "options \$kernelopts \$tuned_params" "$R/boot/loader/entries/$mid-$kver.conf"
t_eq "grubenv is a 1024-byte block" 1024 "$(stat -c %s "$R/boot/grub2/grubenv")"
t_eq "grubenv saved_entry is the newest kernel's entry" "saved_entry=$mid-$kver" \
	"$(grep '^saved_entry=' "$R/boot/grub2/grubenv")"
kopts=$(sed -n 's/^kernelopts=//p' "$R/boot/grub2/grubenv")
t_eq "proc/cmdline = BOOT_IMAGE + grubenv kernelopts" \
	"BOOT_IMAGE=(hd0,msdos1)/vmlinuz-$kver $kopts" "$(cat "$R/proc/cmdline")"
rootuuid=$(awk '$2 == "/" {print $1}' "$R/etc/fstab")
t_check "fstab's / is UUID= and is kernelopts' root=" bash -c "[[ '$rootuuid' == UUID=* && '$kopts' == *'root=$rootuuid '* ]]"
t_check "mountinfo has / and /boot with the fstab types" \
	bash -c "grep -q ' / / rw,relatime .* - xfs ' '$R/proc/self/mountinfo' && grep -q ' / /boot rw,relatime .* - xfs ' '$R/proc/self/mountinfo'"
t_eq "meminfo MemTotal matches the manifest" "$(sr_json "$M" 'd["hardware"]["memtotal_kib"]')" \
	"$(awk '/^MemTotal:/ {print $2}' "$R/proc/meminfo")"
flags=$(grep -m1 '^flags' "$R/proc/cpuinfo")
ok=1
for f in pni ssse3 sse4_1 sse4_2 popcnt cx16 lahf_lm avx avx2 bmi1 bmi2 fma movbe xsave f16c abm; do
	[[ " ${flags#*: } " == *" $f "* ]] || ok=0
done
[ $ok = 1 ] && t_ok "cpuinfo flags have x86-64-v2 and v3 features" || t_fail "cpuinfo flags" "$flags"
t_eq "cpuinfo has one block per CPU" 2 "$(grep -c '^processor' "$R/proc/cpuinfo")"
t_check "proc/modules lists xfs and libcrc32c used by it" \
	bash -c "grep -q '^xfs [0-9]* 0 - Live ' '$R/proc/modules' && grep -q '^libcrc32c [0-9]* 1 xfs, Live ' '$R/proc/modules'"

# configuration
t_check "selinux config" grep -qx "SELINUX=enforcing" "$R/etc/selinux/config"
t_check "sshd_config is owned by openssh-server as %config(noreplace)" \
	bash -c "rpm --root '$R' --dbpath /var/lib/rpm -qc openssh-server 2>/dev/null | grep -qx /etc/ssh/sshd_config"
t_check "sshd_config has no PermitRootLogin" bash -c "! grep -qi '^ *PermitRootLogin' '$R/etc/ssh/sshd_config'"
ok=1
for u in sshd NetworkManager kdump; do
	l=$R/etc/systemd/system/multi-user.target.wants/$u.service
	[ "$(readlink "$l")" = "/usr/lib/systemd/system/$u.service" ] && [ -f "$R/usr/lib/systemd/system/$u.service" ] || ok=0
done
[ $ok = 1 ] && t_ok "systemd enablement symlinks point at installed units" || t_fail "systemd links" "$(ls -lR "$R/etc/systemd/system")"
t_check "the repo files belong to almalinux-release" \
	bash -c "rpm --root '$R' --dbpath /var/lib/rpm -qf /etc/yum.repos.d/almalinux-baseos.repo 2>/dev/null | grep -q '^almalinux-release-8.10'"

# leapp's data files
F=$R/etc/leapp/files
for f in pes-events.json repomap.json upgrade_paths.json device_driver_deprecation_data.json; do
	"$SR_PY" -c 'import json,sys; json.load(open(sys.argv[1]))' "$F/$f" 2>/dev/null || t_fail "$f is valid JSON"
done
t_ok "leapp data files are valid JSON"
if "$SR_PY" -c 'import jsonschema' 2>/dev/null; then
	t_check "pes-events.json validates against pes-events-schema.json" "$SR_PY" -c '
import json, sys, jsonschema
jsonschema.validate(json.load(open(sys.argv[1])), json.load(open(sys.argv[2])))' \
		"$F/pes-events.json" "$T_TOP/scripts/sysroot/data/pes-events-schema.json"
fi
# repomap: every enabled source repo maps to repos that leapp_upgrade_repositories.repo has
t_check "repomap maps the enabled source repos to repos in leapp_upgrade_repositories.repo" "$SR_PY" -c '
import json, sys, configparser, glob
root = sys.argv[1]
rm = json.load(open(root + "/etc/leapp/files/repomap.json"))
src = configparser.ConfigParser(interpolation=None)
src.read(sorted(glob.glob(root + "/etc/yum.repos.d/*.repo")))
tgt = configparser.ConfigParser(interpolation=None)
tgt.read(root + "/etc/leapp/files/leapp_upgrade_repositories.repo")
pesid = {e["repoid"]: r["pesid"] for r in rm["repositories"] for e in r["entries"]}
maps = {e["source"]: e["target"] for m in rm["mapping"] for e in m["entries"]}
for s in src.sections():
    if src.get(s, "enabled") != "1":
        continue
    targets = maps[pesid[s]]
    repoids = [e["repoid"] for r in rm["repositories"] if r["pesid"] in targets for e in r["entries"]]
    assert repoids and all(t in tgt.sections() for t in repoids), (s, repoids)
' "$R"
t_check "target repo baseurls and gpgkeys are absolute file:// paths that exist" "$SR_PY" -c '
import sys, os, configparser
c = configparser.ConfigParser(interpolation=None)
c.read(sys.argv[1] + "/root/etc/leapp/files/leapp_upgrade_repositories.repo")
assert c.sections()
for s in c.sections():
    for k in ("baseurl", "gpgkey"):
        u = c.get(s, k)
        assert u.startswith("file://" + sys.argv[1] + "/"), u
        assert os.path.exists(u[7:]), u
    assert os.path.exists(c.get(s, "baseurl")[7:] + "/repodata/repomd.xml")
' "$out"
t_check "device_driver_deprecation_data.json is the shipped one" \
	cmp "$F/device_driver_deprecation_data.json" "$T_TOP/scripts/sysroot/data/device_driver_deprecation_data.json"
t_check "dnf history records the repo each package came from" \
	bash -c "$SR_PY -c \"import sqlite3; db=sqlite3.connect('file:$R/var/lib/dnf/history.sqlite?mode=ro', uri=True); print(db.execute('select r.repoid from rpm p join trans_item t on t.item_id=p.item_id join repo r on r.id=t.repo_id where p.name=\\\"bash\\\"').fetchone()[0])\" | grep -qx baseos"

# what later stages ask for when they build the upgrade userspace and boot images
missing=""
for n in dracut dracut-live dracut-squash dracut-network systemd kexec-tools NetworkManager \
	openssh-server strace squashfs-tools util-linux bash rpm e2fsprogs xfsprogs kbd kernel kernel-core; do
	ls "$out"/repos/*/Packages/"$n"-[0-9]*.rpm >/dev/null 2>&1 || missing="$missing $n"
done
t_eq "the target repos hold every package the upgrade userspace and boot images need" "" "$missing"

# the target kernel: the host's real kernel, with its real uname string
kv=$(sr_json "$M" 'd["kernel"]["target"]["kver"]')
kpkg=$out/repos/$(sr_json "$M" 'd["kernel"]["target"]["repo"]')/Packages/$(sr_json "$M" 'd["kernel"]["target"]["nevra"]').rpm
t_check "the target kernel's kver is a host kernel (/lib/modules/$kv)" test -f "/lib/modules/$kv/modules.dep"
t_check "target kernel-core has /lib/modules/$kv/vmlinuz and modules.dep" \
	bash -c "rpm -qlp '$kpkg' 2>/dev/null | grep -qx /lib/modules/$kv/vmlinuz && rpm -qlp '$kpkg' 2>/dev/null | grep -qx /lib/modules/$kv/modules.dep"
t_check "target kernel-core's vmlinuz is the host's" \
	bash -c "rpm2cpio '$kpkg' | (cd '$tmp' && cpio -id --quiet ./lib/modules/$kv/vmlinuz) && cmp '$tmp/lib/modules/$kv/vmlinuz' /boot/vmlinuz-$kv"
t_check "the repo packages verify against the tree's keys (rpm -K)" \
	bash -c "rpm --root '$R' --dbpath /var/lib/rpm -K '$kpkg' '$out'/repos/*/Packages/bash-*.rpm 2>/dev/null | grep -v 'digests signatures OK' | (! grep .)"

t_done

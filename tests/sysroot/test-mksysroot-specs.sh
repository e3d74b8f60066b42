#!/bin/bash
# san: skip (scripts/mksysroot is Python; the sanitizer build changes nothing it runs)
# Every shipped spec validates; each inhibitor spec builds and really has its defect (and
# only its own: otherwise it is minimal); --mount makes /boot small; --relocate works.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/sysroot-lib.sh"

sr_tmpdir
for f in "$T_TOP"/scripts/sysroot/specs/*.yaml; do
	n=$(basename "$f" .yaml)
	head -1 "$f" | grep -q "^# $n: " || t_fail "spec $n starts with a '# $n: ...' comment saying what it exercises"
	out=$("$SR_MK" --check "$n" 2>&1) && t_ok "spec $n validates ($out)" || t_fail "spec $n validates" "$out"
done

build() {
	if sr_build "$1" "$tmp/$1"; then return 0; fi
	t_fail "mksysroot $1 builds" "$(tail -20 "$tmp/$1.log")"
	return 1
}
P=/etc/leapp/files/upgrade_paths.json

if build inhibit-lowmem; then
	kib=$(awk '/^MemTotal:/ {print $2}' "$tmp/inhibit-lowmem/root/proc/meminfo")
	t_check "inhibit-lowmem: MemTotal $kib kB is below 1.5 GiB" test "$kib" -lt 1572864
fi
if build inhibit-nopath; then
	r=$tmp/inhibit-nopath/root
	. "$r/etc/os-release"
	t_check "inhibit-nopath: almalinux $VERSION_ID has no entry in upgrade_paths.json" "$SR_PY" -c '
import json, sys
d = json.load(open(sys.argv[1]))["almalinux"]["default"]
assert sys.argv[2] not in d and "." in sys.argv[2], sys.argv[2]' "$r$P" "$VERSION_ID"
	t_eq "inhibit-nopath: the manifest says there is no path" False "$(sr_json "$tmp/inhibit-nopath/manifest.json" 'd["upgrade_path"]["exists"]')"
fi
if build inhibit-nfs; then
	r=$tmp/inhibit-nfs/root
	t_check "inhibit-nfs: fstab has an nfs entry, mountinfo shows it mounted, nfsv4 is loaded" bash -c "
		awk '\$3 == \"nfs\"' '$r/etc/fstab' | grep -q nfs.example.com &&
		grep -q ' /mnt/data .* - nfs4 nfs.example.com:/export/data ' '$r/proc/self/mountinfo' &&
		grep -q '^nfsv4 ' '$r/proc/modules' && grep -q '^sunrpc .*nfs' '$r/proc/modules'"
fi
if build inhibit-oldkernel; then
	r=$tmp/inhibit-oldkernel/root
	M=$tmp/inhibit-oldkernel/manifest.json
	run=$(cat "$r/proc/sys/kernel/osrelease")
	newest=$(sr_rpm "$r" -q kernel-core --qf '%{version}-%{release}.%{arch}\n' | sort -V | tail -1)
	t_check "inhibit-oldkernel: two kernels installed" test "$(sr_rpm "$r" -q kernel-core | wc -l)" -eq 2
	t_check "inhibit-oldkernel: running $run is not the newest ($newest)" test "$run" != "$newest"
	t_check "inhibit-oldkernel: cmdline boots the running one, grubenv defaults to the newest" bash -c "
		grep -q 'vmlinuz-$run ' '$r/proc/cmdline' && grep -q 'saved_entry=.*-$newest\$' '$r/boot/grub2/grubenv' &&
		[ -f '$r/boot/loader/entries/$(cat "$r/etc/machine-id")-$run.conf' ]"
fi
if build inhibit-cpu; then
	flags=$(grep -m1 '^flags' "$tmp/inhibit-cpu/root/proc/cpuinfo")
	t_check "inhibit-cpu: cpuinfo lacks x86-64-v2 (no sse4_2, popcnt, ssse3)" bash -c "
		! grep -qw -e sse4_2 -e popcnt -e ssse3 <<<'$flags' && grep -qw sse2 <<<'$flags'"
fi
if build inhibit-unsatdep; then
	o=$tmp/inhibit-unsatdep
	t_check "inhibit-unsatdep: legacy-utils is installed and vendor-signed" bash -c "
		rpm --root '$o/root' --dbpath /var/lib/rpm -q --qf '%{rsaheader:pgpsig}' legacy-utils 2>/dev/null | grep -q '$(sr_json "$o/manifest.json" 'd["keys"]["vendor"]["keyid"]')'"
	t_check "inhibit-unsatdep: its target build requires libgone.so.1, which no target package provides" bash -c "
		rpm -qp --requires '$o'/repos/*/Packages/legacy-utils-1.3-*.rpm 2>/dev/null | grep -qx 'libgone.so.1()(64bit)' &&
		! rpm -qp --provides '$o'/repos/*/Packages/*.rpm 2>/dev/null | grep -q '^libgone'"
fi
if build inhibit-driver; then
	r=$tmp/inhibit-driver/root
	t_check "inhibit-driver: liquidio is loaded and the data removes it in 9" bash -c "
		grep -q '^liquidio ' '$r/proc/modules' && $SR_PY -c '
import json, sys
ents = [e for e in json.load(open(sys.argv[1]))[\"data\"] if e[\"driver_name\"] == \"liquidio\"]
assert ents and all(9 not in e[\"available_in_rhel\"] for e in ents)' '$r/etc/leapp/files/device_driver_deprecation_data.json'"
fi
if build fileconflict; then
	o=$tmp/fileconflict
	f=/usr/share/conf-common/defaults.conf
	t_check "fileconflict: conf-a and conf-b 2.0 both own $f with different digests" bash -c "
		a=\$(rpm -qp --dump '$o'/repos/*/Packages/conf-a-2.0-*.rpm 2>/dev/null | awk '\$1 == \"$f\" {print \$4}')
		b=\$(rpm -qp --dump '$o'/repos/*/Packages/conf-b-2.0-*.rpm 2>/dev/null | awk '\$1 == \"$f\" {print \$4}')
		[ -n \"\$a\" ] && [ -n \"\$b\" ] && [ \"\$a\" != \"\$b\" ]"
	t_check "fileconflict: rpm's own transaction test reports the conflict" bash -c "
		rpm --root '$o/root' --dbpath /var/lib/rpm --test -U '$o'/repos/*/Packages/conf-[ab]-2.0-*.rpm 2>&1 |
			grep -q 'file $f conflicts between attempted installs of conf-a-2.0-1.el9.x86_64 and conf-b-2.0-1.el9.x86_64'"
fi

# /boot space: --mount puts a tmpfs of the spec's size over root/boot, --umount removes it
if build inhibit-bootspace; then
	o=$tmp/inhibit-bootspace
	before=$("$T_TOP/scripts/sysroot/treesum" "$o/root/boot")
	if "$SR_MK" --mount "$o" >/dev/null 2>"$tmp/mount.err"; then
		t_ok "--mount inhibit-bootspace"
		avail=$(( $(stat -f -c '%a * %S' "$o/root/boot") ))
		mib=$((avail / 1048576))
		t_check "/boot is a tmpfs with less than 100 MiB free (${mib} MiB)" bash -c "
			[ \"\$(stat -f -c %T '$o/root/boot')\" = tmpfs ] && [ $avail -lt $((100 * 1048576)) ] && [ $avail -ge $((59 * 1048576)) ]"
		t_check "the tree's /boot content is in the tmpfs" bash -c "
			diff <(echo '$before') <('$T_TOP/scripts/sysroot/treesum' --exclude .mksysroot-fill '$o/root/boot')"
		t_check "--mount twice is refused" bash -c "! '$SR_MK' --mount '$o' 2>/dev/null"
		t_check "mksysroot refuses to rebuild over a mounted OUTDIR" bash -c "! '$SR_MK' -q inhibit-bootspace '$o' 2>/dev/null"
		"$SR_MK" --umount "$o"
		t_check "--umount restores the original /boot" bash -c "
			! mountpoint -q '$o/root/boot' && diff <(echo '$before') <('$T_TOP/scripts/sysroot/treesum' '$o/root/boot')"
	else
		t_fail "--mount inhibit-bootspace" "$(cat "$tmp/mount.err")"
	fi
fi

# /boot on the root filesystem, ext4, no swap (what a one-partition VM disk needs)
printf 'include: minimal\nstorage:\n  root: {fstype: ext4}\n  boot: {separate: false}\n  swap_mib: 0\n' >"$tmp/onefs.yaml"
if sr_build "$tmp/onefs.yaml" "$tmp/onefs"; then
	r=$tmp/onefs/root
	mid=$(cat "$r/etc/machine-id")
	kv=$(cat "$r/proc/sys/kernel/osrelease")
	t_check "boot.separate: false: fstab has only /, ext4; no swap; BLS and cmdline use /boot/ paths" bash -c "
		[ \"\$(grep -c '^UUID=' '$r/etc/fstab')\" = 1 ] && grep -q '^UUID=.* / .*ext4' '$r/etc/fstab' &&
		! grep -q ' /boot ' '$r/proc/self/mountinfo' && ! grep -q resume= '$r/proc/cmdline' &&
		grep -qx 'linux /boot/vmlinuz-$kv' '$r/boot/loader/entries/$mid-$kv.conf' &&
		grep -q '^BOOT_IMAGE=(hd0,msdos1)/boot/vmlinuz-$kv ' '$r/proc/cmdline'"
else
	t_fail "a spec with boot.separate: false builds" "$(tail "$tmp/onefs.log")"
fi

# --relocate: a moved OUTDIR has its repo file and manifest rewritten to the new place
if [ -d "$tmp/inhibit-cpu" ]; then
	mv "$tmp/inhibit-cpu" "$tmp/moved"
	"$SR_MK" --relocate "$tmp/moved" >/dev/null
	t_check "--relocate rewrites the repo file and the manifest" bash -c "
		grep -q 'baseurl=file://$tmp/moved/repos/almalinux9-baseos\$' '$tmp/moved/root/etc/leapp/files/leapp_upgrade_repositories.repo' &&
		! grep -q '$tmp/inhibit-cpu' '$tmp/moved/root/etc/leapp/files/leapp_upgrade_repositories.repo' '$tmp/moved/manifest.json' &&
		grep -q '\"outdir\": \"$tmp/moved\"' '$tmp/moved/manifest.json'"
fi

t_done

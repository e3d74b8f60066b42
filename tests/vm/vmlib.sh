# Helpers of the VM test (issue 11): a synthetic system upgraded by leapp up to the reboot, a
# disk image of it (mkfs.ext4 -d, no loop mount), QEMU booting the upgrade kernel and initramfs
# from its /boot with the upgrade boot entry's arguments, and the disk read back with debugfs.
# Source after tests/lib.sh. Everything runs as root, without a terminal.

VM_TOP=$T_TOP
VM_PY=/usr/bin/python3
# QEMU: software emulation (KVM fails during boot on the test machines with an emulation failure)
VM_ACCEL=${VM_ACCEL:-tcg}
VM_CPU=${VM_CPU:-max}
VM_SMP=${VM_SMP:-2}
VM_MEM=${VM_MEM:-2048}

# vm_log MSG: a comment line in the test output (run-tests keeps lines starting with #)
vm_log() { echo "# $*"; }

# vm_now: seconds since the epoch, with fractions
vm_now() { date +%s.%N; }
# vm_since T0: seconds since T0, one decimal
vm_since() { awk -v a="$1" -v b="$(vm_now)" 'BEGIN { printf "%.1f", b - a }'; }

# vm_start SUBDIR LABEL: the start of a VM test: T0, KEEP ($T_BUILD/vm-test: the consoles), the
# work directory W ($KEEP/SUBDIR with VM_KEEP=1, else a temporary one), the interim phases
# (INTERIM, INTERIM_SQL), QEMU killed at cleanup; LABEL names the test in its last line (vm_done)
vm_start() {
	T0=$(vm_now)
	VM_LABEL=$2
	KEEP=$T_BUILD/vm-test
	mkdir -p "$KEEP"
	if [ "${VM_KEEP:-0}" = 1 ]; then
		W=$KEEP/$1
		rm -rf "$W"
		mkdir -p "$W"
	else
		W=$(t_tmpdir)
	fi
	T_CLEANUP_HOOK=vm_kill
	INTERIM="InitRamStart LateTests Preparation RPMUpgrade Applications ThirdPartyApplications Finalization"
	INTERIM_SQL=$(printf "'%s'," $INTERIM)
	INTERIM_SQL=${INTERIM_SQL%,}
}

# vm_done: the time in all, the summary line, and exit
vm_done() {
	vm_log "$VM_LABEL: $(vm_since "$T0") s in all"
	t_done
	exit
}

# vm_tools_ok EXTRA: the tools are there (vm_missing_tools and EXTRA, "tool (package)" words),
# else the test fails and ends
vm_tools_ok() {
	local miss
	miss="$(vm_missing_tools)${1:+ $1}"
	if [ -n "$miss" ]; then
		t_fail "the $VM_LABEL's tools are installed (scripts/install-deps.sh)" "missing:$miss"
		vm_done
	fi
	t_ok "the $VM_LABEL's tools are installed"
}

# vm_demo_upgrade PREPARE ARGS...: the demo system on ext4 (tests/vm/vm-demo.yaml, or the spec
# VM_DEMO_SPEC names) in $W/out (OUT, R, MID, ARCH, KVER, RUUID set), the function PREPARE run on
# it, then leapp preupgrade and leapp upgrade ARGS... (host-tools mode); the test ends when
# mksysroot fails
vm_demo_upgrade() {
	local prepare=$1 t rc spec=${VM_DEMO_SPEC:-tests/vm/vm-demo.yaml}
	shift
	OUT=$W/out
	R=$OUT/root
	t=$(vm_now)
	if ! vm_mksysroot "$T_TOP/$spec" "$OUT"; then
		t_fail "mksysroot $spec"
		vm_done
	fi
	vm_log "mksysroot: $(vm_since "$t") s"
	MID=$(cat "$R/etc/machine-id")
	ARCH=$(uname -m)
	KVER=$(vm_manifest "$OUT" .kernel.target.kver)
	RUUID=$(vm_manifest "$OUT" .storage.root.uuid)
	"$prepare"
	t=$(vm_now)
	vm_leapp "$R" "$W/preupgrade.log" preupgrade
	rc=$?
	t_eq "leapp preupgrade: exit 0 ($(vm_since "$t") s)" 0 "$rc"
	t=$(vm_now)
	vm_leapp "$R" "$W/upgrade.log" upgrade "$@"
	rc=$?
	t_eq "leapp upgrade${1:+ $*}: exit 0 ($(vm_since "$t") s)" 0 "$rc"
	[ "$rc" = 0 ] || tail -30 "$W/upgrade.log" | sed 's/^/#   /'
	KERNEL=$R/boot/vmlinuz-upgrade.$ARCH
	INITRD=$R/boot/initramfs-upgrade.$ARCH.img
	ENTRY=/loader/entries/$MID-upgrade.$ARCH.conf
}

# vm_make_disk [FUNCTION]: the disk image of the tree ($W/disk/disk.img: DISK) made by FUNCTION
# OUTDIR DIR (vm_disk, or vm_disk_lvm), after the interim actors the image is expected to run
# are listed (EXPECTED_RUNS); the test ends when it cannot be made
vm_make_disk() {
	local t fn=${1:-vm_disk}
	EXPECTED_RUNS=$(vm_expected_runs "$R" "$INTERIM")
	t=$(vm_now)
	if ! "$fn" "$OUT" "$W/disk"; then
		t_fail "the disk image of the tree (mkfs.ext4 -d)"
		vm_done
	fi
	t_ok "the disk image of the tree ($(vm_since "$t") s)"
	DISK=$W/disk/disk.img
}

# vm_missing_tools: the tools (and their Debian packages) this test needs that are missing
vm_missing_tools() {
	local t miss=""
	for t in qemu-system-x86_64:qemu-system-x86 mkfs.ext4:e2fsprogs debugfs:e2fsprogs e2fsck:e2fsprogs \
		mkswap:util-linux sqlite3:sqlite3 rpm:rpm jq:jq dracut:dracut; do
		command -v "${t%%:*}" >/dev/null 2>&1 || miss="$miss ${t%%:*} (${t#*:})"
	done
	echo "$miss"
}

# vm_manifest OUTDIR EXPR: a value of OUTDIR/manifest.json (a jq expression)
vm_manifest() { jq -r "$2" "$1/manifest.json"; }

# vm_mksysroot SPEC OUTDIR: build a synthetic system (log in OUTDIR.mksysroot.log)
vm_mksysroot() {
	"$VM_TOP/scripts/mksysroot" -q "$1" "$2" >"$2.mksysroot.log" 2>&1 || {
		tail -20 "$2.mksysroot.log" | sed 's/^/#   /'
		return 1
	}
}

# vm_leapp ROOT LOG ARGS...: build/leapp ARGS --root ROOT in the host-tools mode (DESIGN.md
# section 4: dracut and systemd of the upgrade initramfs from this machine)
vm_leapp() {
	local root=$1 log=$2; shift 2
	LEAPP_UNSUPPORTED=1 LEAPP_DEVEL_USE_HOST_DRACUT=1 "$T_LEAPP" "$@" --root "$root" >"$log" 2>&1
}

# vm_shell_actor ROOT NAME PHASE BODY: a custom actor in ROOT/etc/leapp/repos.d/vmtest (the way
# an admin adds one); BODY is sh run after leapp-msg init (leapp-msg is in PATH)
vm_shell_actor() {
	local root=$1 name=$2 phase=$3 body=$4
	local d=$root/etc/leapp/repos.d/vmtest/actors/$name
	mkdir -p "$d"
	printf 'name: %s\ndescription: VM test actor %s\nphase: %s\nexec: run.sh\nconsumes: []\nproduces: []\ntimeout: 60\n' \
		"$name" "$name" "$phase" >"$d/actor.yaml"
	printf '#!/bin/sh\nset -e\neval "$(leapp-msg init "$@")"\n%s\nleapp-msg done\n' "$body" >"$d/run.sh"
	chmod +x "$d/run.sh"
}

# vm_disk OUTDIR DIR: DIR/disk.img, a disk laid out as OUTDIR/manifest.json says (MBR: /boot on
# partition 1, / on 2, swap on 3, with the sizes and UUIDs of the manifest, which the tree's
# fstab and boot entries name), each filesystem made from the tree in place with
# mkfs.ext4 -E offset=... -d. The tree's /boot goes to the /boot filesystem; / keeps an empty
# /boot directory (the mount point). Sets VM_BOOT_FS and VM_ROOT_FS, the filesystems as
# debugfs and e2fsck name them (DIR/disk.img?offset=N).
vm_disk() {
	local out=$1 dir=$2 root=$1/root
	local rfs bfs ruuid buuid suuid rs bs ss held disk=$2/disk.img
	rfs=$(vm_manifest "$out" .storage.root.fstype)
	bfs=$(vm_manifest "$out" .storage.boot.fstype)
	if [ "$rfs" != ext4 ] || [ "$bfs" != ext4 ]; then
		echo "#   the tree's / is $rfs and /boot $bfs: this test makes ext4 filesystems (tests/vm/vm-demo.yaml)"
		return 1
	fi
	ruuid=$(vm_manifest "$out" .storage.root.uuid)
	buuid=$(vm_manifest "$out" .storage.boot.uuid)
	suuid=$(vm_manifest "$out" .storage.swap.uuid)
	rs=$(vm_manifest "$out" .storage.root.size_mib)
	bs=$(vm_manifest "$out" .storage.boot.size_mib)
	ss=$(vm_manifest "$out" .storage.swap.size_mib)
	local pb=1 pr=$((1 + bs)) ps=$((1 + bs + rs))
	mkdir -p "$dir"
	rm -f "$disk" "$dir/swap.img"
	truncate -s "$((ps + ss + 1))M" "$disk" || return 1
	# the tree's /boot aside while / is made (a rename on the same filesystem)
	held=$out/.vm-boot
	mv "$root/boot" "$held" || return 1
	mkdir "$root/boot" && chmod --reference="$held" "$root/boot"
	local rc=0
	mkfs.ext4 -q -F -b 4096 -L root -U "$ruuid" -E "offset=$((pr * 1048576))" -d "$root" "$disk" "${rs}M" \
		>"$dir/mkfs.log" 2>&1 &&
		mkfs.ext4 -q -F -b 4096 -L boot -U "$buuid" -E "offset=$((pb * 1048576))" -d "$held" "$disk" "${bs}M" \
			>>"$dir/mkfs.log" 2>&1 || rc=1
	rmdir "$root/boot" && mv "$held" "$root/boot" || rc=1
	[ "$rc" = 0 ] || { sed 's/^/#   /' "$dir/mkfs.log"; return 1; }
	truncate -s "${ss}M" "$dir/swap.img" && mkswap -q -L swap -U "$suuid" "$dir/swap.img" >/dev/null &&
		dd if="$dir/swap.img" of="$disk" bs=1M seek="$ps" conv=notrunc,sparse status=none || return 1
	rm -f "$dir/swap.img"
	"$VM_PY" "$VM_TOP/tests/vm/mbr.py" "$disk" "${ruuid:0:8}" "$pb:$bs:83:boot" "$pr:$rs:83" "$ps:$ss:82" || return 1
	VM_BOOT_FS="$disk?offset=$((pb * 1048576))"
	VM_ROOT_FS="$disk?offset=$((pr * 1048576))"
}

# ---- LVM: the host has no device-mapper, so lvm2 writes the metadata of volumes it never
# activates, and the filesystems are written at the volumes' offsets in the disk image ----

# vm_lvm LOOP DIR COMMAND ARGS...: an lvm command that sees only the loop device LOOP, activates
# nothing (--driverloaded n), uses no devices file, udev or locking, keeps its metadata backup in
# DIR and neither reads nor writes the host's /etc/lvm
vm_lvm() {
	local loop=$1 dir=$2 cmd=$3
	shift 3
	LVM_SUPPRESS_FD_WARNINGS=1 LVM_SYSTEM_DIR=$dir/etc lvm "$cmd" --driverloaded n --nolocking --config "
		devices { filter = [ \"a|^$loop\$|\", \"r|.*|\" ] use_devicesfile = 0 obtain_device_list_from_udev = 0 scan_lvs = 0 hints = \"none\" }
		activation { udev_sync = 0 udev_rules = 0 monitoring = 0 }
		backup { backup = 1 backup_dir = \"$dir\" archive = 0 }" "$@"
}

# vm_lvm_make LOOP DIR VG NAME:MIB...: the physical volume on LOOP, the volume group VG, a linear
# volume NAME of MIB MiB each (not activated, not zeroed, no signature wiped), and DIR/layout:
# "vg VG" then "NAME OFFSET SIZE" for each volume (bytes from the start of the physical volume)
vm_lvm_make() {
	local loop=$1 dir=$2 vg=$3 lv pe ext name range n a b
	shift 3
	vm_lvm "$loop" "$dir" pvcreate -y "$loop" || return 1
	vm_lvm "$loop" "$dir" vgcreate -s 4m "$vg" "$loop" || return 1
	for lv in "$@"; do
		vm_lvm "$loop" "$dir" lvcreate -a n -Z n -W n -L "${lv#*:}m" -n "${lv%%:*}" "$vg" || return 1
	done
	pe=$(vm_lvm "$loop" "$dir" pvs --noheadings --nosuffix --units b -o pe_start "$loop" | tr -d ' ')
	ext=$(vm_lvm "$loop" "$dir" vgs --noheadings --nosuffix --units b -o vg_extent_size "$vg" | tr -d ' ')
	echo "vg $vg" >"$dir/layout"
	vm_lvm "$loop" "$dir" lvs --noheadings -o lv_name,seg_pe_ranges "$vg" >"$dir/segments" || return 1
	for lv in "$@"; do
		name=${lv%%:*}
		n=$(awk -v n="$name" '$1 == n' "$dir/segments" | wc -l)
		range=$(awk -v n="$name" '$1 == n {print $2}' "$dir/segments")
		# one segment: "/dev/loopN:A-B"
		if [ "$n" != 1 ] || [ -z "$pe" ] || [ -z "$ext" ]; then
			echo "#   $vg/$name: $n segments (pe_start '$pe', extent size '$ext'), one expected"
			return 1
		fi
		range=${range##*:}
		a=${range%-*}
		b=${range#*-}
		echo "$name $((pe + a * ext)) $(((b - a + 1) * ext))" >>"$dir/layout"
	done
}

# vm_lvm_layout ROOT DIR VG PVDEV NAME:MIB...: DIR/pv.img, an LVM physical volume with the volume
# group VG and its volumes (vm_lvm_make, on a loop device of the file, detached again), DIR/layout,
# and VG's metadata backup in ROOT/etc/lvm/backup/VG as lvm writes it (the physical volume's
# device hint PVDEV, the partition it will be on), which snapshot_planner reads.
vm_lvm_layout() {
	local root=$1 dir=$2 vg=$3 pvdev=$4 lv total=8 loop rc=0
	shift 4
	for lv in "$@"; do total=$((total + (${lv#*:} + 3) / 4 * 4)); done
	rm -rf "$dir/lvm" "$dir/pv.img"
	mkdir -p "$dir/lvm/etc"
	truncate -s "${total}M" "$dir/pv.img" || return 1
	loop=$(losetup -f --show "$dir/pv.img") || { echo "#   no loop device for $dir/pv.img"; return 1; }
	vm_lvm_make "$loop" "$dir/lvm" "$vg" "$@" >"$dir/lvm.log" 2>&1 || rc=1
	losetup -d "$loop" || rc=1
	if [ "$rc" = 0 ] && [ -s "$dir/lvm/$vg" ]; then
		mv "$dir/lvm/layout" "$dir/layout" &&
			mkdir -p "$root/etc/lvm/backup" &&
			sed "s|device = \"$loop\"|device = \"$pvdev\"|" "$dir/lvm/$vg" >"$root/etc/lvm/backup/$vg" &&
			chmod 600 "$root/etc/lvm/backup/$vg" && return 0
	fi
	grep -v 'WARNING: \|leaked on' "$dir/lvm.log" | sed 's/^/#   /'
	return 1
}

# vm_disk_lvm OUTDIR DIR: DIR/disk.img for a tree on LVM whose volumes vm_lvm_layout laid out in
# DIR/pv.img: an MBR with /boot on partition 1 (size and UUID of the manifest) and the physical
# volume on partition 2 (type 8e). Into the volumes: "root" the tree (ext4, the manifest's UUID)
# without /boot and the mount points below, "swap" a swap area (the manifest's swap UUID), and
# any other volume NAME the tree's directory that the manifest's mount of /dev/mapper/VG-NAME
# names (ext4, label NAME; the root filesystem keeps the empty mount point). Sets VM_BOOT_FS,
# VM_ROOT_FS, VM_USR_FS (a volume mounted on /usr), VM_FS_LIST ("NAME=IMG ...", for vm_fsck).
vm_disk_lvm() {
	local out=$1 dir=$2 root=$1/root disk=$2/disk.img hold=$1/.vm-hold
	local vg bs buuid ruuid suuid pvmib pb=1 pp name off size target rc=0 base
	[ -s "$dir/pv.img" ] && [ -s "$dir/layout" ] || { echo "#   no LVM layout in $dir (vm_lvm_layout)"; return 1; }
	vg=$(awk '$1 == "vg" {print $2}' "$dir/layout")
	bs=$(vm_manifest "$out" .storage.boot.size_mib)
	buuid=$(vm_manifest "$out" .storage.boot.uuid)
	ruuid=$(vm_manifest "$out" .storage.root.uuid)
	suuid=$(vm_manifest "$out" .storage.swap.uuid)
	pvmib=$(($(stat -c %s "$dir/pv.img") / 1048576))
	pp=$((pb + bs))
	base=$((pp * 1048576))
	rm -f "$disk"
	truncate -s "$((pp + pvmib + 1))M" "$disk" &&
		dd if="$dir/pv.img" of="$disk" bs=1M seek="$pp" conv=notrunc,sparse status=none || return 1
	# /boot and the volumes' mount points aside while / is made (renames on the same filesystem)
	rm -rf "$hold"
	mkdir -p "$hold"
	mv "$root/boot" "$hold/boot" && mkdir "$root/boot" && chmod --reference="$hold/boot" "$root/boot" || return 1
	while read -r name off size; do
		case $name in vg | root | swap) continue ;; esac
		target=$(jq -r --arg s "/dev/mapper/$vg-$name" '.storage.mounts[] | select(.source == $s) | .target' "$out/manifest.json")
		if [ -z "$target" ] || [ ! -d "$root$target" ]; then
			echo "#   $vg/$name: no mount of /dev/mapper/$vg-$name in the manifest, or no ${target:-directory} in the tree"
			rc=1
			break
		fi
		echo "$target" >"$hold/$name.target"
		mv "$root$target" "$hold/$name" && mkdir "$root$target" && chmod --reference="$hold/$name" "$root$target" || { rc=1; break; }
	done <"$dir/layout"
	VM_FS_LIST="boot=$disk?offset=$((pb * 1048576))"
	VM_USR_FS=""
	[ "$rc" = 0 ] && mkfs.ext4 -q -F -b 4096 -L boot -U "$buuid" -E "offset=$((pb * 1048576))" -d "$hold/boot" "$disk" "${bs}M" \
		>"$dir/mkfs.log" 2>&1 || rc=1
	while [ "$rc" = 0 ] && read -r name off size; do
		case $name in
		vg) continue ;;
		swap)
			truncate -s "$size" "$dir/swap.img" && mkswap -q -L swap -U "$suuid" "$dir/swap.img" >/dev/null &&
				dd if="$dir/swap.img" of="$disk" bs=1M seek="$(((base + off) / 1048576))" conv=notrunc,sparse status=none || rc=1
			rm -f "$dir/swap.img"
			continue ;;
		root) mkfs.ext4 -q -F -b 4096 -L root -U "$ruuid" -E "offset=$((base + off))" -d "$root" "$disk" "$((size / 1024))k" ;;
		*) mkfs.ext4 -q -F -b 4096 -L "$name" -E "offset=$((base + off))" -d "$hold/$name" "$disk" "$((size / 1024))k" ;;
		esac >>"$dir/mkfs.log" 2>&1 || rc=1
		VM_FS_LIST="$VM_FS_LIST $name=$disk?offset=$((base + off))"
		[ "$name" = root ] && VM_ROOT_FS="$disk?offset=$((base + off))"
		[ "$name" != root ] && [ "$(cat "$hold/$name.target")" = /usr ] && VM_USR_FS="$disk?offset=$((base + off))"
	done <"$dir/layout"
	# the tree as it was
	for target in "$hold"/*.target; do
		[ -f "$target" ] || continue
		name=${target##*/}
		name=${name%.target}
		rmdir "$root$(cat "$target")" && mv "$hold/$name" "$root$(cat "$target")" || rc=1
	done
	rmdir "$root/boot" && mv "$hold/boot" "$root/boot" && rm -rf "$hold" || rc=1
	[ "$rc" = 0 ] || { sed 's/^/#   /' "$dir/mkfs.log"; return 1; }
	"$VM_PY" "$VM_TOP/tests/vm/mbr.py" "$disk" "${ruuid:0:8}" "$pb:$bs:83:boot" "$pp:$pvmib:8e" || return 1
	VM_BOOT_FS="$disk?offset=$((pb * 1048576))"
}

# vm_entry_options ROOT: the options of the upgrade boot entry
vm_entry_options() {
	local mid
	mid=$(cat "$1/etc/machine-id")
	sed -n 's/^options[[:space:]]\{1,\}//p' "$1/boot/loader/entries/$mid-upgrade.$(uname -m).conf"
}

# vm_boot DISK KERNEL INITRD APPEND CONSOLE TIMEOUT [PATTERN]: boot QEMU (no reboot: a reboot
# of the guest ends QEMU) with the serial console written to CONSOLE. Returns when QEMU
# exits, when PATTERN (an extended regexp) shows on the console, when the guest is stuck
# (emergency shell, kernel panic) or after TIMEOUT seconds; QEMU is killed unless it exited.
# Sets VM_END (exited, matched, stuck or timeout), VM_SECONDS, VM_QEMU_RC. VM_NIC: QEMU's -nic
# (default none: no network); VM_THEN: an extended regexp awaited after PATTERN matched.
vm_boot() {
	local disk=$1 kernel=$2 initrd=$3 append=$4 console=$5 timeout=$6 pattern=${7:-} t0 pid
	local stuck='Entering emergency mode|Kernel panic|Give root password|Press Enter for maintenance|Cannot open access to console'
	: >"$console"
	t0=$(vm_now)
	qemu-system-x86_64 -name leapp-vm-test -accel "$VM_ACCEL" -cpu "$VM_CPU" -smp "$VM_SMP" -m "$VM_MEM" \
		-nographic -monitor none -serial "file:$console" -no-reboot -nic "${VM_NIC:-none}" \
		-kernel "$kernel" -initrd "$initrd" -append "$append" \
		-drive "file=$disk,format=raw,if=virtio,cache=writeback" \
		</dev/null >"$console.qemu" 2>&1 &
	pid=$!
	VM_QEMU_PID=$pid
	VM_END=timeout
	while :; do
		if ! kill -0 "$pid" 2>/dev/null; then
			VM_END=exited
			break
		fi
		if [ -n "$pattern" ] && grep -aqE "$pattern" "$console"; then
			VM_END=matched
			break
		fi
		if grep -aqE "$stuck" "$console"; then
			VM_END=stuck
			break
		fi
		if [ "$(awk -v a="$t0" -v b="$(vm_now)" -v t="$timeout" 'BEGIN { print (b - a > t) }')" = 1 ]; then
			break
		fi
		sleep 1
	done
	VM_SECONDS=$(vm_since "$t0")
	# VM_THEN: what must follow the pattern before QEMU is stopped (60 s at most; a loaded
	# machine can take many quiet seconds between the two)
	if [ "$VM_END" = matched ] && [ -n "${VM_THEN:-}" ]; then
		local w=0
		while [ "$w" -lt 60 ] && kill -0 "$pid" 2>/dev/null && ! grep -aqE "$VM_THEN" "$console"; do
			w=$((w + 1))
			sleep 1
		done
	fi
	if [ "$VM_END" != exited ]; then
		# let the guest finish what it is writing: until the console is quiet for 2 s (10 s at most)
		local n=0 quiet=0 size last=-1
		while [ "$n" -lt 10 ] && [ "$quiet" -lt 2 ] && kill -0 "$pid" 2>/dev/null; do
			size=$(stat -c %s "$console")
			if [ "$size" = "$last" ]; then quiet=$((quiet + 1)); else quiet=0; fi
			last=$size
			n=$((n + 1))
			sleep 1
		done
		kill "$pid" 2>/dev/null
	fi
	wait "$pid"
	VM_QEMU_RC=$?
	VM_QEMU_PID=
	return 0
}

# vm_kill: stop a QEMU this test started (cleanup hook)
vm_kill() { [ -n "${VM_QEMU_PID:-}" ] && kill "$VM_QEMU_PID" 2>/dev/null; return 0; }

# vm_print_console FILE: the console output, in the test output (as comments)
vm_print_console() {
	echo "# ---- console of the VM ($1) ----"
	# the terminal control sequences of SeaBIOS and systemd out
	sed -e 's/\x1b\[[0-9;?]*[a-zA-Z]//g' -e 's/\x1bc//g' -e 's/\r//g' "$1" | sed 's/^/#  /'
	[ -s "$1.qemu" ] && sed 's/^/#  qemu: /' "$1.qemu"
	echo "# ---- end of the console ----"
}

# vm_console_time FILE REGEXP: the kernel timestamp (seconds since the kernel started) of the
# first console line matching REGEXP
vm_console_time() {
	sed -e 's/\x1b\[[0-9;?]*[a-zA-Z]//g' -e 's/\x1bc//g' "$1" | grep -aE "$2" | head -1 |
		sed -n 's/^[^[]*\[ *\([0-9.]*\)\].*/\1/p'
}

# vm_fsck LOGDIR: replay the journals of the disk's filesystems and check them (e2fsck -fy;
# the output in LOGDIR/fsck-{boot,root,...}.log): boot and root, or those of VM_FS_LIST
# ("NAME=IMG ...", vm_disk_lvm). VM_FSCK names the ones left damaged.
vm_fsck() {
	local p fs rc
	VM_FSCK=""
	for p in ${VM_FS_LIST:-boot root}; do
		case $p in
		*=*) fs=${p#*=} p=${p%%=*} ;;
		boot) fs=$VM_BOOT_FS ;;
		*) fs=$VM_ROOT_FS ;;
		esac
		e2fsck -fy "$fs" >"$1/fsck-$p.log" 2>&1
		rc=$?
		# 0: clean, 1: corrected (a replayed journal counts), more: damage
		[ "$rc" -le 1 ] || VM_FSCK="$VM_FSCK $p:$rc"
	done
	[ -z "$VM_FSCK" ]
}

# IMG below: a filesystem as debugfs names it ($VM_ROOT_FS, $VM_BOOT_FS)
# vm_cat IMG PATH: a file of an ext4 image (empty when it is missing)
vm_cat() { debugfs -R "cat \"$2\"" "$1" 2>/dev/null; }
# vm_exists IMG PATH: the path exists in the image (file, directory or link)
vm_exists() { debugfs -R "stat \"$2\"" "$1" 2>&1 | grep -q '^Inode:'; }
# vm_readlink IMG PATH: the target of a symbolic link in the image
vm_readlink() { debugfs -R "stat \"$2\"" "$1" 2>/dev/null | sed -n 's/^Fast link dest: "\(.*\)"$/\1/p'; }
# vm_rdump IMG PATH DEST: copy a directory of the image into DEST (DEST/<basename>)
vm_rdump() { mkdir -p "$3" && debugfs -R "rdump \"$2\" \"$3\"" "$1" >/dev/null 2>&1 && [ -d "$3/${2##*/}" ]; }
# vm_dump IMG PATH DEST: copy one file of the image to DEST (fails when it is missing)
vm_dump() { vm_exists "$1" "$2" && debugfs -R "dump -p \"$2\" \"$3\"" "$1" >/dev/null 2>&1 && [ -f "$3" ]; }

# vm_sys FUNCTION PATH ARGS...: FUNCTION IMG PATH' ARGS... on the filesystem that holds PATH in
# the system: the /usr volume's (VM_USR_FS, without the /usr prefix) for a path below /usr when
# /usr is separate, else the root filesystem's
vm_sys() {
	local f=$1 p=$2
	shift 2
	case $p in
	/usr/*) if [ -n "${VM_USR_FS:-}" ]; then "$f" "$VM_USR_FS" "${p#/usr}" "$@"; return; fi ;;
	esac
	"$f" "$VM_ROOT_FS" "$p" "$@"
}

# vm_leapp_db IMG DIR: DIR/leapp.db, the audit store of the image (with its WAL when there is one)
vm_leapp_db() {
	local f
	mkdir -p "$2"
	vm_dump "$1" /var/lib/leapp/leapp.db "$2/leapp.db" || return 1
	for f in leapp.db-wal leapp.db-shm; do
		vm_exists "$1" "/var/lib/leapp/$f" && vm_dump "$1" "/var/lib/leapp/$f" "$2/$f"
	done
	return 0
}

# vm_expected_runs ROOT "PHASES": the interim actors the image carries (this build's) and the
# custom ones of ROOT's repos.d, as "PHASE NAME" lines (experimental ones run only when asked for)
vm_expected_runs() {
	local y p n
	for y in "$T_BUILD"/share/leapp/actors/*/actor.yaml "$1"/etc/leapp/repos.d/*/actors/*/actor.yaml; do
		[ -f "$y" ] || continue
		grep -q '^experimental:[[:space:]]*true' "$y" && continue
		p=$(sed -n 's/^phase:[[:space:]]*//p' "$y" | tr -d '"'"'"' ')
		n=$(sed -n 's/^name:[[:space:]]*//p' "$y" | tr -d '"'"'"' ')
		case " $2 " in *" $p "*) echo "$p $n" ;; esac
	done | sort -u
}

# vm_check_upgraded LABEL: the checks of a disk whose upgrade boot finished and rebooted, each
# named "LABEL: ...": clean filesystems, the state file, no failure flag, /boot without the
# upgrade entry and files, leapp_resume.service, the rpmdb against the planned transaction and
# the demo's expectations, the target kernel and the el9 %post, os-release, the audit store
# (every interim actor committed, FirstBoot next, the VM's boot id, the sandbox). Uses the test's
# W, R, OUT, MID, ARCH, KVER, ENTRY, INTERIM, INTERIM_SQL and EXPECTED_RUNS.
vm_check_upgraded() {
	local lb=$1 f left grubenv unit n want names miss p el8 osr ex notc summary ph a c bid
	vm_fsck "$W"
	t_eq "$lb: the filesystems are clean after the reboot (e2fsck)" "" "$VM_FSCK"
	t_eq "$lb: /var/tmp/system-upgrade.state says finished" finished "$(vm_cat "$VM_ROOT_FS" /var/tmp/system-upgrade.state)"
	if vm_exists "$VM_ROOT_FS" /var/lib/leapp/upgrade-initramfs.failed; then
		t_fail "$lb: no failure flag" "$(vm_cat "$VM_ROOT_FS" /var/lib/leapp/upgrade-initramfs.failed)"
	else
		t_ok "$lb: no failure flag"
	fi
	# /boot
	if vm_exists "$VM_BOOT_FS" "$ENTRY"; then t_fail "$lb: the upgrade boot entry is gone" "$ENTRY is still there"; else
		t_ok "$lb: the upgrade boot entry is gone"
	fi
	left=""
	for f in "/vmlinuz-upgrade.$ARCH" "/initramfs-upgrade.$ARCH.img"; do vm_exists "$VM_BOOT_FS" "$f" && left="$left $f"; done
	t_eq "$lb: the upgrade kernel and initramfs are gone from /boot" "" "$left"
	grubenv=$(vm_cat "$VM_BOOT_FS" /grub2/grubenv | tr -d '#')
	case "$grubenv" in *"next_entry=$MID-upgrade"*) t_fail "$lb: grubenv no longer boots the upgrade entry" "$grubenv" ;;
	*) t_ok "$lb: grubenv no longer boots the upgrade entry" ;;
	esac
	# leapp_resume.service
	unit=$(vm_cat "$VM_ROOT_FS" /etc/systemd/system/leapp_resume.service)
	case "$unit" in *"upgrade --resume"*) t_ok "$lb: leapp_resume.service is installed (it runs leapp upgrade --resume)" ;;
	*) t_fail "$lb: leapp_resume.service is installed (it runs leapp upgrade --resume)" "unit: ${unit:-missing}" ;;
	esac
	t_eq "$lb: leapp_resume.service is enabled (multi-user.target.wants)" /etc/systemd/system/leapp_resume.service \
		"$(vm_readlink "$VM_ROOT_FS" /etc/systemd/system/multi-user.target.wants/leapp_resume.service)"
	# the rpmdb against the planned transaction and the demo's expectations (DB: the test's too)
	DB=$W/read
	if vm_rdump "$VM_ROOT_FS" /var/lib/rpm "$DB"; then
		rpm --dbpath "$DB/rpm" -qa --qf '%{NAME} %{EPOCHNUM} %{VERSION} %{RELEASE} %{ARCH}\n' 2>/dev/null | sort >"$W/rpmdb.after"
		jq -r '.transaction[] | select(.action == "install" or .action == "upgrade" or .action == "downgrade")
			| "\(.name) \(.epoch // 0) \(.version) \(.release) \(.arch)"' "$R/var/log/leapp/transaction.json" | sort >"$W/plan.in"
		jq -r '.transaction[] | select(.action == "remove" or .action == "obsolete")
			| "\(.name) \(.epoch // 0) \(.version) \(.release) \(.arch)"' "$R/var/log/leapp/transaction.json" | sort >"$W/plan.out"
		n=$(wc -l <"$W/plan.in")
		t_eq "$lb: the rpmdb holds the $n planned target packages" "" "$(comm -23 "$W/plan.in" "$W/rpmdb.after" | tr '\n' ';')"
		t_eq "$lb: the planned removals are gone from the rpmdb" "" "$(comm -12 "$W/plan.out" "$W/rpmdb.after" | tr '\n' ';')"
		want=$("$VM_PY" -c 'import sys, yaml; print(" ".join(yaml.safe_load(open(sys.argv[1]))["expected"]["after_upgrade"]))' \
			"$T_TOP/scripts/sysroot/specs/demo.yaml")
		names=" $(cut -d' ' -f1 "$W/rpmdb.after" | tr '\n' ' ') "
		miss=""
		for p in $want; do case "$names" in *" $p "*) ;; *) miss="$miss $p" ;; esac; done
		t_eq "$lb: every package of the demo's expected.after_upgrade is installed" "" "$miss"
		t_check "$lb: the target kernel-core ($KVER) is installed" grep -q "^kernel-core 0 $(vm_manifest "$OUT" .kernel.target.version) $(vm_manifest "$OUT" .kernel.target.release) " "$W/rpmdb.after"
		el8=$(awk '$4 ~ /\.el8/ && $1 !~ /^kernel/' "$W/rpmdb.after" | tr '\n' ';')
		t_eq "$lb: no el8 package left but the old kernel" "" "$el8"
	else
		t_fail "$lb: the rpmdb read out of the image (debugfs rdump /var/lib/rpm)"
	fi
	t_check "$lb: the target kernel's modules are on the disk" vm_sys vm_exists "/usr/lib/modules/$KVER/vmlinuz"
	t_check "$lb: the el9 %post of demo-app ran in the VM" vm_exists "$VM_ROOT_FS" /var/lib/demo/el9-post-ran
	osr=$(vm_sys vm_cat /usr/lib/os-release | sed -n 's/^VERSION_ID=//p' | tr -d '"')
	t_eq "$lb: os-release says $(vm_manifest "$OUT" .target.version)" "$(vm_manifest "$OUT" .target.version)" "$osr"
	# the audit store
	if vm_leapp_db "$VM_ROOT_FS" "$DB"; then
		q() { sqlite3 -batch "$DB/leapp.db" "$1"; }
		ex=$(q "select max(id) from executions where kind = 'upgrade'")
		notc=$(q "select phase || ' ' || actor || ' ' || status from actor_runs where execution = $ex and committed = 0
			and phase in ($INTERIM_SQL)" | tr '\n' ';')
		t_eq "$lb: no interim actor run left uncommitted" "" "$notc"
		miss=""
		summary=""
		for ph in $INTERIM; do
			want=$(echo "$EXPECTED_RUNS" | awk -v p="$ph" '$1 == p {print $2}')
			c=0
			for a in $want; do
				if [ "$(q "select count(*) from actor_runs where execution = $ex and phase = '$ph' and actor = '$a'
					and committed = 1 and status = 'ok'")" -ge 1 ]; then c=$((c + 1)); else miss="$miss $ph/$a"; fi
			done
			summary="$summary $ph:$c/$(echo $want | wc -w)"
		done
		vm_log "committed interim runs:$summary"
		t_eq "$lb: the audit store records every interim actor of the image as committed" "" "$miss"
		t_eq "$lb: the execution goes on at FirstBoot" FirstBoot "$(q "select next_phase from executions where id = $ex")"
		# the boot id recorded with the reboot request after Finalization is the VM kernel's
		bid=$(q "select boot_id from executions where id = $ex")
		if [ -n "$bid" ] && [ "$bid" != "$(cat /proc/sys/kernel/random/boot_id)" ]; then
			t_ok "$lb: the interim phases ran under the VM's kernel (boot id $bid)"
		else
			t_fail "$lb: the interim phases ran under the VM's kernel" "boot id: '${bid}', this machine's: $(cat /proc/sys/kernel/random/boot_id)"
		fi
		t_eq "$lb: the actors ran in the sandbox (no --no-sandbox entry in the report)" 0 \
			"$(q "select count(*) from report_entries where execution = $ex and title like 'Actors ran without the sandbox%'")"
	else
		t_fail "$lb: the audit store read out of the image (/var/lib/leapp/leapp.db)"
	fi
}

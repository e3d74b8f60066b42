# Helpers for the live-mode tests (issue 10). Source after tests/lib.sh.

LM_ACTORS=$T_BUILD/share/leapp/actors
export LEAPP_DATADIR=$T_BUILD/share/leapp
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
PY=/usr/bin/python3
LM_FEATURE=(--enable-experimental-feature livemode)

# lm_demo: the demo system once, in $LM_SR/demo (OUTDIR; root: $LM_SR/demo/root); copies of it
# (lm_copy) keep using its target repositories
lm_demo() {
	LM_SR=$(mktemp -d "${TMPDIR:-/tmp}/leapp-livemode.XXXXXX")
	T_TMPDIRS="${T_TMPDIRS:-} $LM_SR"
	"$T_TOP/scripts/mksysroot" -q demo "$LM_SR/demo" >"$LM_SR/mksysroot.log" 2>&1 || {
		tail -5 "$LM_SR/mksysroot.log"
		return 1
	}
}

# lm_manifest EXPR: a value of the demo's manifest.json (python expression on m)
lm_manifest() { "$PY" -c "import json,sys; m=json.load(open(sys.argv[1])); print($1)" "$LM_SR/demo/manifest.json"; }

# lm_copy NAME: a copy of the demo system as $LM_SR/NAME; its root in $R
lm_copy() {
	rm -rf "${LM_SR:?}/$1"
	cp -a "$LM_SR/demo" "$LM_SR/$1"
	R=$LM_SR/$1/root
}

# lm_conf ROOT FILE TEXT: /etc/leapp/actor_conf.d/FILE
lm_conf() {
	mkdir -p "$1/etc/leapp/actor_conf.d"
	printf '%s\n' "$3" >"$1/etc/leapp/actor_conf.d/$2"
}

# lm_speed ROOT: the smaller images the tests build (a short dracut module list, uncompressed;
# lz4 squashfs), as the initramfs tests do
lm_speed() {
	lm_conf "$1" speed.yaml 'livemode_image:
  extra_dracut_args: ["-m", "base", "--nostrip", "--no-compress"]
  mksquashfs_args: ["-comp", "lz4"]
target_initramfs:
  extra_dracut_args: ["-m", "base", "--nostrip", "--no-compress"]'
}

# lm_run ROOT ARGS...: build/leapp ARGS --root ROOT; output in $LM_OUT, exit code in $LM_RC
lm_run() {
	local root=$1; shift
	LM_OUT=$("$T_LEAPP" "$@" --root "$root" 2>&1); LM_RC=$?
}

# lm_db ROOT SQL: query the audit store
lm_db() { sqlite3 "$1/var/lib/leapp/leapp.db" "$2"; }

# lm_report ROOT KEY FIELD: a field of the last report entry with that key ("null": none)
lm_report() { jq -r --arg k "$2" "[.entries[] | select(.key == \$k)] | last | .$3" "$1/var/log/leapp/leapp-report.json"; }

# lm_grubenv ROOT NAME: a grubenv variable
lm_grubenv() { grub-editenv "$1/boot/grub2/grubenv" list | sed -n "s/^$2=//p"; }

# lm_img_list IMG: the paths in a squashfs image, one a line, relative ("etc/fstab")
lm_img_list() { unsquashfs -l -d '' "$1" 2>/dev/null | sed -n 's|^/||p'; }
# lm_img_ll IMG: with modes, owners and link targets
lm_img_ll() { unsquashfs -ll -d '' "$1" 2>/dev/null; }
# lm_img_cat IMG PATH: a file of the image
lm_img_cat() { unsquashfs -cat "$1" "$2" 2>/dev/null; }

# lm_initrd_modules IMG: the dracut modules of an initramfs, one a line
lm_initrd_modules() { lsinitrd "$1" 2>/dev/null | sed -n '/^dracut modules:/,/^====/p' | sed '1d;$d'; }

# lm_stubs DIR: mount, umount, systemctl, reboot, journalctl and strace stand-ins that record
# their command lines in $CALLS; strace runs the traced command after touching its -o file
lm_stubs() {
	mkdir -p "$1"
	local c
	for c in mount umount systemctl reboot; do
		printf '#!/bin/sh\necho "%s $*" >>"$CALLS"\nexit 0\n' "$c" >"$1/$c"
	done
	printf '#!/bin/sh\necho "journalctl $*" >>"$CALLS"\necho "Nov 22 upgrade.service: the journal of the live system"\n' >"$1/journalctl"
	cat >"$1/strace" <<'SH'
#!/bin/sh
echo "strace $*" >>"$CALLS"
while [ $# -gt 1 ]; do
	case $1 in -o) shift; echo "strace output" >"$1" ;; esac
	shift
done
exec sh "$1"
SH
	chmod +x "$1"/*
}

# lm_live_fs IMG DIR: the parts of the live image the upgrade runs from (its script, leapp and
# the interim actors), unpacked into DIR
lm_live_fs() {
	rm -rf "$2"
	unsquashfs -q -n -d "$2" "$1" usr/bin/upgrade usr/lib/leapp-upgrade usr/bin/leapp usr/bin/leapp-msg usr/share/leapp etc/leapp-live >/dev/null 2>&1
}

# lm_live_upgrade ROOT LIVEDIR CMDLINE [ARGS...]: the simulated boot into the live image:
# /usr/bin/upgrade of the image as upgrade.service runs it, with ROOT mounted as /sysroot (the
# mount and reboot commands stubbed, the kernel command line CMDLINE); exit code in $LM_RC,
# output in $LM_OUT, the stubs' calls in $CALLS
lm_live_upgrade() {
	local root=$1 live=$2 cmdline=$3
	shift 3
	local fake=$LM_SR/fakeproc
	rm -rf "$fake"
	mkdir -p "$fake/proc/self" "$fake/selinux"
	echo "BOOT_IMAGE=(hd0,msdos1)/vmlinuz-upgrade.x86_64 $cmdline" >"$fake/proc/cmdline"
	echo "40 30 253:2 / $root rw,relatime shared:1 - xfs /dev/vda2 rw,attr2" >"$fake/proc/self/mountinfo"
	echo 1 >"$fake/selinux/enforce"
	lm_stubs "$LM_SR/stubs"
	export CALLS=$LM_SR/calls
	: >"$CALLS"
	LM_OUT=$(PATH=$LM_SR/stubs:$PATH NEWROOT=$root UPGRADE_PROC=$fake/proc UPGRADE_SELINUXFS=$fake/selinux \
		UPGRADE_LEAPP=$live/usr/bin/leapp UPGRADE_DATADIR=$live/usr/share/leapp UPGRADE_STRACE=$LM_SR/stubs/strace \
		UPGRADE_SYSTEM_CMDLINE=$live/etc/leapp-live/system-cmdline UPGRADE_MOUNT_LIB=$live/usr/lib/leapp-upgrade/upgrade-mount-lib.sh \
		UPGRADE_ROLLBACK_LIB=$live/usr/lib/leapp-upgrade/upgrade-rollback.sh sh "$live/usr/bin/upgrade" "$@" 2>&1)
	LM_RC=$?
}

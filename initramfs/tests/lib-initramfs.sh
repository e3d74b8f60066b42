# Helpers for the upgrade-initramfs and boot-entry tests (issue 9). Source after tests/lib.sh.

IR_ACTORS=$T_BUILD/share/leapp/actors
export LEAPP_DATADIR=$T_BUILD/share/leapp
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
PY=/usr/bin/python3

# ir_sysroot SPEC: build a synthetic system; OUTDIR in $IR_SR, its root in $IR_ROOT.
ir_sysroot() {
	IR_SR=$(mktemp -d "${TMPDIR:-/tmp}/leapp-initramfs.XXXXXX")
	T_TMPDIRS="${T_TMPDIRS:-} $IR_SR"
	IR_ROOT=$IR_SR/out/root
	"$T_TOP/scripts/mksysroot" -q "$1" "$IR_SR/out" >"$IR_SR/mksysroot.log" 2>&1 || {
		tail -5 "$IR_SR/mksysroot.log"
		return 1
	}
}

# ir_minimal: the minimal synthetic system (the test ends at once when it cannot be built); its
# root in $R, its machine id in $MID, its boot entries' folder in $D.
ir_minimal() {
	ir_sysroot minimal || { t_fail "mksysroot minimal"; t_done; exit 1; }
	R=$IR_ROOT
	MID=$(cat "$R/etc/machine-id")
	D=$R/boot/loader/entries
}

# ir_manifest EXPR: a value of OUTDIR/manifest.json (python expression on m)
ir_manifest() { "$PY" -c "import json,sys; m=json.load(open(sys.argv[1])); print($1)" "$IR_SR/out/manifest.json"; }

# ir_kernel_rpm: the target kernel-core package in the target repos
ir_kernel_rpm() { ls "$IR_SR"/out/repos/*/Packages/kernel-core-*.el9.*.rpm | head -1; }

# ir_actors NAME...: export a LEAPP_ACTORS_DIR holding only these actors of the build
ir_actors() {
	local d
	d=$(mktemp -d "$IR_SR/actors.XXXXXX")
	for a in "$@"; do ln -s "$IR_ACTORS/$a" "$d/$a"; done
	export LEAPP_ACTORS_DIR=$d
}

# ir_shell_actor ROOT NAME PHASE CONSUMES PRODUCES BODY: a shell actor in ROOT's repos.d/test;
# BODY runs after leapp-msg init (leapp-msg is in PATH)
ir_shell_actor() {
	local root=$1 name=$2 phase=$3 cons=$4 prod=$5 body=$6
	local d=$root/etc/leapp/repos.d/test/actors/$name
	mkdir -p "$d"
	printf 'name: %s\ndescription: test actor %s\nphase: %s\nexec: run.sh\nconsumes: [%s]\nproduces: [%s]\ntimeout: 60\n' \
		"$name" "$name" "$phase" "$cons" "$prod" >"$d/actor.yaml"
	printf '#!/bin/sh\nset -e\neval "$(leapp-msg init "$@")"\n%s\nleapp-msg done\n' "$body" >"$d/run.sh"
	chmod +x "$d/run.sh"
}

# ir_run ROOT ARGS...: build/leapp ARGS --root ROOT; output in $IR_OUT, exit code in $IR_RC
ir_run() {
	local root=$1; shift
	IR_OUT=$("$T_LEAPP" "$@" --root "$root" 2>&1); IR_RC=$?
}

# ir_list IMG: the paths in an initramfs image, one a line
ir_list() { lsinitrd "$1" 2>/dev/null | awk 'NF >= 9 && $1 ~ /^[-dlcbps][-rwxsStT]/ {print $9}'; }

# ir_dracut_module DIR NAME WORK: build an image with the host's dracut and kernel, the base and
# systemd modules and the module folder DIR as 99NAME (dracut's own modules linked beside it, in
# WORK), a check that it builds; the image's paths, one a line, in $IR_LIST. Returns 1 (a failed
# check) when the host has no dracut or kernel, or dracut fails.
ir_dracut_module() {
	local dir=$1 name=$2 b=$3/dracut kv f m
	kv=$(ls /lib/modules | head -1)
	IR_LIST=
	if ! command -v dracut >/dev/null || [ -z "$kv" ]; then
		t_fail "no host dracut or kernel for the image check"
		return 1
	fi
	mkdir -p "$b/modules.d" "$b/conf.d" "$b/tmp"
	for f in /usr/lib/dracut/*; do [ "${f##*/}" = modules.d ] || ln -s "$f" "$b/${f##*/}"; done
	for m in /usr/lib/dracut/modules.d/*; do ln -s "$m" "$b/modules.d/"; done
	cp -r "$dir" "$b/modules.d/99$name"
	dracutbasedir=$b timeout 300 dracut --force --no-hostonly --conf /dev/null --confdir "$b/conf.d" --tmpdir "$b/tmp" \
		-m "base systemd $name" "$3/img" "$kv" >"$3/dracut.log" 2>&1
	t_eq "dracut builds the image with the module" 0 "$?" "$(tail -5 "$3/dracut.log")" || return 1
	IR_LIST=$(ir_list "$3/img")
}

# ir_report_keys ROOT: keys of the report entries, space-separated, sorted
ir_report_keys() { jq -r '[.entries[].key] | sort | join(" ")' "$1/var/log/leapp/leapp-report.json"; }
# ir_report ROOT KEY FIELD: a field of the report entry with that key
ir_report() { jq -r --arg k "$2" "[.entries[] | select(.key == \$k)] | last | .$3" "$1/var/log/leapp/leapp-report.json"; }

# ir_grubenv ROOT NAME: a grubenv variable (grub-editenv when installed: it also proves the block valid)
ir_grubenv() {
	local f=$1/boot/grub2/grubenv
	if command -v grub-editenv >/dev/null; then
		grub-editenv "$f" list | sed -n "s/^$2=//p"
	else
		head -c 1024 "$f" | tr -d '#' | sed -n "s/^$2=//p"
	fi
}

# ir_standin_userspace ROOT KVER: a target userspace as production has it, with stand-ins that
# record how they were run: /usr/bin/dracut (into /dracut.record; the image it makes has
# /etc/standin-image-kib KiB), /usr/sbin/depmod (/depmod.record), the target build of leapp
# (/usr/bin/leapp, /usr/share/leapp with one interim and one early actor), a fake kernel.
ir_standin_userspace() {
	local us=$1/var/lib/leapp/el9userspace kver=$2
	mkdir -p "$us/usr/bin" "$us/usr/sbin" "$us/usr/lib/dracut/modules.d/99base" "$us/etc" "$us/dev" "$us/proc" "$us/sys" \
		"$us/usr/lib/modules/$kver" "$us/usr/share/leapp/models" "$us/usr/share/leapp/phases" \
		"$us/usr/share/leapp/actors/interim_a" "$us/usr/share/leapp/actors/early_b"
	ln -sfn usr/bin "$us/bin"
	ln -sfn usr/sbin "$us/sbin"
	ln -sfn usr/lib "$us/lib"
	cp /bin/busybox "$us/usr/bin/busybox"
	ln -sf busybox "$us/usr/bin/sh"
	: >"$us/.userspace-marker"
	echo 64 >"$us/etc/standin-image-kib"
	echo "dracut-functions" >"$us/usr/lib/dracut/dracut-functions.sh"
	printf '#!/bin/bash\ncheck() { return 0; }\n' >"$us/usr/lib/dracut/modules.d/99base/module-setup.sh"
	cat >"$us/usr/bin/dracut" <<'SH'
#!/bin/sh
# stand-in dracut: records its command line and environment, makes an image
rec=/dracut.record
: >$rec
for a in "$@"; do echo "arg $a" >>$rec; done
echo "env dracutbasedir=$dracutbasedir" >>$rec
echo "env LEAPP_INITRAMFS_PAYLOAD=$LEAPP_INITRAMFS_PAYLOAD" >>$rec
echo "env TMPDIR=$TMPDIR" >>$rec
[ -r /proc/self/status ] && echo "proc mounted" >>$rec
[ -c /dev/null ] && echo "dev mounted" >>$rec
[ -e /.userspace-marker ] && echo "chrooted into the userspace" >>$rec
for last; do :; done
busybox dd if=/dev/zero of="$last" bs=1024 count="$(busybox cat /etc/standin-image-kib)" 2>/dev/null
SH
	printf '#!/bin/sh\necho "$*" >>/depmod.record\n' >"$us/usr/sbin/depmod"
	printf '#!/bin/sh\necho "the target build of leapp"\n' >"$us/usr/bin/leapp"
	printf '#!/bin/sh\necho "the target build of leapp-msg"\n' >"$us/usr/bin/leapp-msg"
	chmod +x "$us/usr/bin/dracut" "$us/usr/sbin/depmod" "$us/usr/bin/leapp" "$us/usr/bin/leapp-msg"
	echo "[]" >"$us/usr/share/leapp/models/target.yaml"
	# the target build's workflow has an interim phase this build does not know
	cat >"$us/usr/share/leapp/phases/inplace-upgrade.yaml" <<'YAML'
workflow: InplaceUpgradeWorkflow
phases:
  - {name: Checks, policy: fail-phase, profile: source}
  - {name: InterimPreparation, policy: fail-phase, profile: interim-preparation, flags: [request-restart-after]}
  - {name: InitRamStart, policy: fail-phase, profile: read-write}
  - {name: NewInterimPhase, policy: fail-phase, profile: read-write}
  - {name: Finalization, policy: fail-phase, profile: read-write, flags: [restart-after]}
  - {name: FirstBoot, policy: report-only, profile: read-write}
YAML
	mkdir -p "$us/usr/share/leapp/actors/late_c"
	printf 'name: interim_a\ndescription: an interim actor of the target build\nphase: NewInterimPhase\nexec: run.sh\n' \
		>"$us/usr/share/leapp/actors/interim_a/actor.yaml"
	printf 'name: early_b\ndescription: an early actor of the target build\nphase: Checks\nexec: run.sh\n' \
		>"$us/usr/share/leapp/actors/early_b/actor.yaml"
	printf 'name: late_c\ndescription: a first-boot actor of the target build\nphase: FirstBoot\nexec: run.sh\n' \
		>"$us/usr/share/leapp/actors/late_c/actor.yaml"
	printf '#!/bin/sh\n' | tee "$us/usr/share/leapp/actors/interim_a/run.sh" "$us/usr/share/leapp/actors/early_b/run.sh" \
		>"$us/usr/share/leapp/actors/late_c/run.sh"
	chmod +x "$us"/usr/share/leapp/actors/*/run.sh
	head -c 300000 /dev/urandom >"$us/usr/lib/modules/$kver/vmlinuz"
}

# ir_userspace_stub ROOT KVER: a shell actor producing TargetUserSpaceInfo for ROOT's userspace
ir_userspace_stub() {
	ir_shell_actor "$1" userspace_stub InterimPreparation "" TargetUserSpaceInfo "
leapp-msg produce TargetUserSpaceInfo '{\"path\": \"$1/var/lib/leapp/el9userspace\", \"path_in_root\": \"/var/lib/leapp/el9userspace\",
  \"target_major\": 9, \"packages\": [], \"kernel_version\": \"$2\", \"kernel_versions\": [\"$2\"]}'"
}

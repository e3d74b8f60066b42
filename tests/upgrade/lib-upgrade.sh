# Helpers for the whole-upgrade tests (issue 9: the phases after the reboot, the first boot, crash
# safety). Source after tests/lib.sh. Systems come from scripts/mksysroot; the reboots are
# simulated as upgrade.service and leapp_resume.service run leapp: `leapp upgrade --resume --root`.

U_ACTORS_SRC=$T_BUILD/share/leapp/actors
export LEAPP_DATADIR=$T_BUILD/share/leapp
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
# the synthetic target repositories hold no real dracut or systemd (DESIGN.md section 4)
export LEAPP_UNSUPPORTED=1 LEAPP_DEVEL_USE_HOST_DRACUT=1
PY=/usr/bin/python3
# the actors that run dracut or write boot entries: left out where a test is about something else
U_BOOT_ACTORS="upgrade_initramfs_generator add_upgrade_boot_entry remove_upgrade_boot_entry target_initramfs_generator
target_kernel_boot_entry remove_upgrade_boot_files"
U_PROBE_MODELS="PlannedTransaction RPMUpgradeResult LeftoverPackages SystemdServicesResult SystemdServicesTasks
RepoMetadataCache ResumeService TargetKernelBoot UpgradeBootEntry IPUConfig DownloadedPackages TargetGpgKeys
TransactionTestResult"

# u_init: $U_DIR (removed at exit) with $U_DIR/probe/test_probe, an actor (FirstBoot, never run
# by the workflow: it is only in its own folder) that `leapp actor run --from-last-run` uses to
# write the last run's messages to its scratch directory (u_msg).
u_init() {
	U_DIR=$(mktemp -d "${TMPDIR:-/tmp}/leapp-upgrade.XXXXXX")
	T_TMPDIRS="${T_TMPDIRS:-} $U_DIR"
	trap 't_cleanup' EXIT
	mkdir -p "$U_DIR/probe/test_probe"
	cat >"$U_DIR/probe/test_probe/actor.yaml" <<YAML
name: test_probe
description: write the messages of the last run to the scratch directory (upgrade tests)
phase: FirstBoot
consumes: [$(echo $U_PROBE_MODELS | sed 's/ /, /g')]
exec: run.sh
YAML
	cat >"$U_DIR/probe/test_probe/run.sh" <<SH
#!/bin/sh
set -e
eval "\$(leapp-msg init "\$@")"
dir=\$(leapp-msg get scratch)
for m in $(echo $U_PROBE_MODELS); do leapp-msg messages \$m >"\$dir/\$m.json"; done
leapp-msg done
SH
	chmod +x "$U_DIR/probe/test_probe/run.sh"
}

# u_actors_noboot: $U_DIR/actors, every actor of the build but the dracut and boot-entry ones
# (for tests about the RPM upgrade, where two dracut runs per case would only cost minutes)
u_actors_noboot() {
	mkdir -p "$U_DIR/actors"
	local a n
	for a in "$U_ACTORS_SRC"/*; do
		n=$(basename "$a")
		case " $(echo $U_BOOT_ACTORS) " in *" $n "*) continue ;; esac
		ln -s "$a" "$U_DIR/actors/$n"
	done
	U_ACTORS=$U_DIR/actors
}

# u_sysroot SPEC NAME: build SPEC into $U_DIR/NAME (root: $U_DIR/NAME/root)
u_sysroot() {
	"$T_TOP/scripts/mksysroot" -q "$1" "$U_DIR/$2" >"$U_DIR/$2.mksysroot.log" 2>&1 || {
		tail -5 "$U_DIR/$2.mksysroot.log"
		return 1
	}
}

u_root() { echo "$U_DIR/$1/root"; }
u_manifest() { echo "$U_DIR/$1/manifest.json"; }

# u_copy FROM TO: a copy of system FROM as TO (the repo file keeps naming FROM's repos, which stay)
u_copy() { rm -rf "${U_DIR:?}/$2" && cp -a "$U_DIR/$1" "$U_DIR/$2"; }

# u_leapp NAME ARGS...: leapp ARGS --root on NAME (with $U_ACTORS when set); exit code in $U_RC,
# console in $U_DIR/NAME.out (appended)
u_leapp() {
	local name=$1
	shift
	echo "=== leapp $*" >>"$U_DIR/$name.out"
	if [ -n "${U_ACTORS:-}" ]; then
		LEAPP_ACTORS_DIR=$U_ACTORS "$T_LEAPP" "$@" --root "$(u_root "$name")" >>"$U_DIR/$name.out" 2>&1
	else
		"$T_LEAPP" "$@" --root "$(u_root "$name")" >>"$U_DIR/$name.out" 2>&1
	fi
	U_RC=$?
}

# u_show NAME: the tail of the console, for failure details
u_show() { tail -n 30 "$U_DIR/$1.out" | sed 's/^/#   /'; }

# u_probe NAME: dump the last run's messages of NAME (then u_msg reads them)
u_probe() {
	LEAPP_ACTORS_DIR=${U_ACTORS:-$U_ACTORS_SRC}:$U_DIR/probe "$T_LEAPP" actor run test_probe --from-last-run \
		--root "$(u_root "$1")" >"$U_DIR/$1.probe.json" 2>"$U_DIR/$1.probe.err"
}

# u_msg NAME MODEL JQ: a jq filter on the data of the last MODEL message of NAME's last run (after
# u_probe NAME), raw; "null" when there is none
u_msg() {
	local f
	f=$(u_root "$1")/var/lib/leapp/scratch/test_probe/$2.json
	[ -s "$f" ] || { echo null; return; }
	jq -r "last | if . == null then null else $3 end" "$f"
}

# u_input NAME FILE MODEL...: an input file for running an actor standalone (ACTOR --input FILE)
# with the last message of each MODEL of NAME's last run (after u_probe NAME)
u_input() {
	local name=$1 out=$2 m f
	shift 2
	echo '{"messages": []}' >"$out"
	for m in "$@"; do
		f=$(u_root "$name")/var/lib/leapp/scratch/test_probe/$m.json
		[ -s "$f" ] || continue
		jq --arg m "$m" --slurpfile d "$f" '.messages += [{model: $m, data: ($d[0] | last)}] | if $m == "IPUConfig" then .workflow = ($d[0] | last) else . end' \
			"$out" >"$out.tmp" && mv "$out.tmp" "$out"
	done
}

# u_actor NAME ACTOR INPUT [options...]: run ACTOR standalone (no broker, no sandbox) on NAME's
# root; its JSON output in $U_OUT, exit code in $U_RC
u_actor() {
	local name=$1 actor=$2 input=$3
	shift 3
	U_OUT=$("$U_ACTORS_SRC/$actor/$actor" --root "$(u_root "$name")" --input "$input" "$@" 2>"$U_DIR/$name.$actor.err")
	U_RC=$?
}
# u_out JQ: a jq filter on $U_OUT, raw
u_out() { printf '%s' "$U_OUT" | jq -r "$1"; }
# u_out_msg MODEL JQ: on the last MODEL message $U_OUT holds
u_out_msg() { printf '%s' "$U_OUT" | jq -r --arg m "$1" "[.messages[] | select(.model == \$m)] | last | .data | $2"; }

u_report() { echo "$(u_root "$1")/var/log/leapp/leapp-report.json"; }
# u_report_field NAME KEY JQ: a field of the last report entry with that key
u_report_field() { jq -r --arg k "$2" "[.entries[] | select(.key == \$k)] | last | $3" "$(u_report "$1")"; }

# u_rpm NAME ARGS...: rpm on NAME's rpmdb
u_rpm() {
	local name=$1
	shift
	local be=()
	[ -e "$(u_root "$name")/var/lib/rpm/Packages" ] && be=(--define "_db_backend bdb_ro")
	rpm --root "$(u_root "$name")" --dbpath /var/lib/rpm --define "_dbpath /var/lib/rpm" "${be[@]}" "$@" 2>/dev/null
}

# u_kill_at NAME FILE ARGS...: run leapp ARGS in the background on NAME and kill -9 it once FILE
# (relative to the root) exists, or once an actor-start event of actor A is seen when FILE is
# "actor:A" (SECONDS later with "actor:A+SECONDS"). $U_KILLED is 1 when it was killed there, 0
# when leapp ended first.
u_kill_at() {
	local name=$1 what=$2 root pid i json=$U_DIR/$1.progress.json delay=0
	shift 2
	case $what in actor:*+*) delay=${what##*+}; what=${what%+*} ;; esac
	root=$(u_root "$name")
	: >"$json"
	echo "=== leapp $* (killed at $what)" >>"$U_DIR/$name.out"
	if [ -n "${U_ACTORS:-}" ]; then
		LEAPP_ACTORS_DIR=$U_ACTORS "$T_LEAPP" "$@" --json-progress --root "$root" >"$json" 2>>"$U_DIR/$name.out" &
	else
		"$T_LEAPP" "$@" --json-progress --root "$root" >"$json" 2>>"$U_DIR/$name.out" &
	fi
	pid=$!
	U_KILLED=0
	# U_KILL_POLLS: how many 50 ms polls for the point before killing anyway (default: a minute)
	for i in $(seq "${U_KILL_POLLS:-1200}"); do
		if [ "${what#actor:}" != "$what" ]; then
			grep -q "\"event\":\"actor-start\",.*\"actor\":\"${what#actor:}\"" "$json" && break
		else
			[ -e "$root$what" ] && break
		fi
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	[ "$delay" = 0 ] || sleep "$delay"
	if kill -9 "$pid" 2>/dev/null; then U_KILLED=1; fi
	wait "$pid" 2>/dev/null
	# what the sandbox started dies with the actor, and the actor with leapp: nothing may remain
	for i in $(seq 100); do
		pgrep -f "$U_ACTORS_SRC|$U_DIR/actors" >/dev/null 2>&1 || break
		sleep 0.1
	done
}

# u_hold_actor NAME PHASE [STAGE]: a custom actor test_hold_<phase, lowercase> (in NAME's
# /etc/leapp/repos.d, in STAGE, default main) that, while /var/tmp/hold-<PHASE> exists in the
# tree, writes /var/tmp/at-<PHASE> and waits: a point inside PHASE to kill leapp at
# (u_kill_at NAME /var/tmp/at-PHASE ...)
u_hold_actor() {
	local root d
	root=$(u_root "$1")
	d=$root/etc/leapp/repos.d/test/actors/test_hold_${2,,}
	mkdir -p "$d"
	printf 'name: test_hold_%s\ndescription: wait while /var/tmp/hold-%s exists (upgrade tests)\nphase: %s\nexec: run.sh\ntimeout: 300\n' \
		"${2,,}" "$2" "$2" >"$d/actor.yaml"
	echo "stage: ${3:-main}" >>"$d/actor.yaml"
	cat >"$d/run.sh" <<SH
#!/bin/sh
eval "\$(leapp-msg init "\$@")"
root=\$(leapp-msg get root)
if [ -e "\$root/var/tmp/hold-$2" ]; then
	: >"\$root/var/tmp/at-$2"
	i=0
	while [ -e "\$root/var/tmp/hold-$2" ] && [ \$i -lt 3000 ]; do sleep 0.1; i=\$((i+1)); done
fi
leapp-msg done
SH
	chmod +x "$d/run.sh"
}

# u_integrity NAME: "ok ok" when leapp's audit store and the rpmdb pass sqlite's integrity check
u_integrity() {
	local root
	root=$(u_root "$1")
	local rpmdb
	if [ -e "$root/var/lib/rpm/Packages" ]; then
		# el8's BerkeleyDB rpmdb (not rebuilt yet): every database file verifies
		rpmdb=ok
		for f in "$root"/var/lib/rpm/[A-Z]*; do db5.3_verify -q "$f" >/dev/null 2>&1 || rpmdb="bad ${f##*/}"; done
	else
		rpmdb=$(sqlite3 "file:$root/var/lib/rpm/rpmdb.sqlite?mode=ro" 'PRAGMA integrity_check' 2>&1)
	fi
	echo "$(sqlite3 "file:$root/var/lib/leapp/leapp.db?mode=ro" 'PRAGMA integrity_check' 2>&1)" "$rpmdb"
}

# u_names NAME: the installed package names but gpg-pubkey, each once, sorted, on one line
u_names() { u_rpm "$1" -qa --qf '%{NAME}\n' | grep -v '^gpg-pubkey$' | sort -u | tr '\n' ' '; }
# u_expected NAME: the manifest's expected.after_upgrade the same way
u_expected() { jq -r '.expected.after_upgrade[]' "$(u_manifest "$1")" | sort -u | tr '\n' ' '; }
# u_twice NAME: names installed more than once in one arch ("kernel kernel-core kernel-modules"
# after an upgrade); multilib twins (glibc x86_64 and i686) are not twice
u_twice() {
	u_rpm "$1" -qa --qf '%{NAME} %{ARCH}\n' | grep -v '^gpg-pubkey ' | sort | uniq -d | cut -d' ' -f1 | sort -u |
		tr '\n' ' ' | sed 's/ $//'
}
# u_old NAME: installed packages with an el8 release but the kernel's (the old release's leftovers)
u_old() {
	u_rpm "$1" -qa --qf '%{NAME}-%{VERSION}-%{RELEASE}\n' | grep -E '\.el8' | grep -vE '^kernel(-core|-modules)?-' |
		sort | tr '\n' ' ' | sed 's/ $//'
}

# u_check_upgraded NAME: the checks every finished upgrade of a demo(-like) system passes
u_check_upgraded() {
	local name=$1 root m f
	root=$(u_root "$name")
	m=$(u_manifest "$name")
	t_eq "$name: the rpmdb holds exactly the expected target packages" "$(u_expected "$name")" "$(u_names "$name")"
	t_eq "$name: only the kernels are installed twice (old and new)" "kernel kernel-core kernel-modules" "$(u_twice "$name")"
	t_eq "$name: the old kernel is still installed" "$(jq -r '.kernel.source[0].nevra' "$m")" \
		"$(u_rpm "$name" -q "$(jq -r '.kernel.source[0].nevra' "$m")")"
	t_eq "$name: no package of the old release is left but the kernel" "" "$(u_old "$name")"
	for f in $(jq -r '.expected.rpmnew[]' "$m"); do
		t_check "$name: the admin-edited $f is kept" grep -q "tuned by the admin" "$root$f"
		t_check "$name: $f.rpmnew is beside it" test -s "$root$f.rpmnew"
	done
	for f in $(jq -r '.expected.scriptlet_files_after_upgrade[]' "$m"); do
		t_check "$name: the el9 scriptlet ran ($f)" test -s "$root$f"
	done
	t_check "$name: sshd_config includes sshd_config.d (release 9's file, or leapp's line in the admin's)" \
		grep -qx "Include /etc/ssh/sshd_config.d/\*.conf" "$root/etc/ssh/sshd_config"
	t_check "$name: no PermitRootLogin was written (root password logins were not allowed)" \
		bash -c "! grep -qi '^ *PermitRootLogin' '$root/etc/ssh/sshd_config'"
	t_check "$name: the release is the target's" grep -qx "VERSION_ID=\"$(jq -r .target.version "$m")\"" "$root/etc/os-release"
	t_check "$name: chronyd.service replaces ntpd.service" test -L "$root/etc/systemd/system/multi-user.target.wants/chronyd.service" -a \
		! -e "$root/etc/systemd/system/multi-user.target.wants/ntpd.service" -a ! -L "$root/etc/systemd/system/multi-user.target.wants/ntpd.service"
	t_check "$name: the SELinux relabel is scheduled" test -e "$root/.autorelabel"
	t_check "$name: the resume service is gone" test ! -e "$root/etc/systemd/system/leapp_resume.service" -a \
		! -L "$root/etc/systemd/system/multi-user.target.wants/leapp_resume.service"
	t_check "$name: the target userspace and the package cache are gone" test ! -e "$root/var/lib/leapp/el9userspace" -a \
		! -e "$root/var/lib/leapp/packages" -a ! -e "$root/var/lib/leapp/rpm-upgrade.started"
	t_eq "$name: the report has no errors" "" \
		"$(jq -r '[.entries[] | select(.groups | index("error")) | .title] | join("; ")' "$(u_report "$name")")"
	t_eq "$name: the report ends with the summary" "The upgrade is complete" \
		"$(u_report_field "$name" "$K_UPGRADE_SUMMARY" .title)"
	t_eq "$name: the audit store and the rpmdb pass sqlite's integrity check" "ok ok" "$(u_integrity "$name")"
	t_check "$name: rpm -qa reads the rpmdb" u_rpm "$name" -qa
	t_check "$name: rpm's dependency check of the rpmdb passes" bash -c \
		"rpm --root '$root' --dbpath /var/lib/rpm --define '_dbpath /var/lib/rpm' -Va --nofiles --noscripts 2>&1 | (! grep -q .)"
}

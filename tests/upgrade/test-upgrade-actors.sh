#!/bin/bash
# The actors of the phases after the reboot, one by one, run standalone (ACTOR --root --input):
# on small fixture trees (systemd units, SELinux relabel, the resume service, the cleanup, the
# renamed services, the metadata cache), then on a demo system prepared up to the reboot (the
# LateTests rpmdb check, the RPM upgrade's guards: a changed rpmdb, a package that was not
# downloaded, an erasure the plan does not make, the key import, nothing to do a second time).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-upgrade.sh"

u_init
J=$U_DIR/in.json
mkroot() { rm -rf "${U_DIR:?}/$1" && mkdir -p "$U_DIR/$1/root" && echo "$U_DIR/$1/root"; }
unitfile() { mkdir -p "$(dirname "$1")" && printf '[Unit]\nDescription=%s\n\n[Service]\nExecStart=/bin/true\n%s' "$(basename "$1")" "$2" >"$1"; }

# ---- set_systemd_services_states ----
S=$(mkroot sd)
L=$S/usr/lib/systemd/system
E=$S/etc/systemd/system
unitfile "$L/a.service" $'\n[Install]\nWantedBy=multi-user.target\nAlias=a-alias.service\nAlso=b.service\n'
unitfile "$L/b.service" $'\n[Install]\nWantedBy=graphical.target multi-user.target\n'
unitfile "$L/req.service" $'\n[Install]\nRequiredBy=x.target\n'
unitfile "$L/noinst.service" ""
unitfile "$L/dis.service" $'\n[Install]\nWantedBy=multi-user.target\n'
unitfile "$L/both.service" $'\n[Install]\nWantedBy=multi-user.target\n'
mkdir -p "$E/multi-user.target.wants"
ln -s /dev/null "$E/masked.service"
ln -s /usr/lib/systemd/system/dis.service "$E/multi-user.target.wants/dis.service"
ln -s /usr/lib/systemd/system/dis.service "$E/dis-alias.service"
ln -s /usr/lib/systemd/system/gone.service "$E/multi-user.target.wants/gone.service"
ln -s /usr/lib/systemd/system/sshd.service "$E/sshd-kept.service"
cat >"$J" <<'JSON'
{"messages": [
 {"model": "SystemdServicesTasks", "data": {"to_enable": ["a.service", "noinst.service", "masked.service", "missing.service"],
   "to_disable": ["dis.service", "both.service"]}},
 {"model": "SystemdServicesTasks", "data": {"to_enable": ["req.service", "both.service", "../x.service"], "to_disable": []}},
 {"model": "SystemdServicesInfoSource", "data": {"service_files": [],
   "broken_symlinks": ["/etc/systemd/system/multi-user.target.wants/gone.service", "/etc/systemd/system/sshd-kept.service"]}}]}
JSON
u_actor sd set_systemd_services_states "$J"
t_eq "systemd: the actor succeeds" 0 "$U_RC"
t_eq "systemd: WantedBy= links" /usr/lib/systemd/system/a.service "$(readlink "$E/multi-user.target.wants/a.service")"
t_eq "systemd: Alias= links" /usr/lib/systemd/system/a.service "$(readlink "$E/a-alias.service")"
t_eq "systemd: Also= units enabled too, each WantedBy=" "/usr/lib/systemd/system/b.service /usr/lib/systemd/system/b.service" \
	"$(readlink "$E/graphical.target.wants/b.service") $(readlink "$E/multi-user.target.wants/b.service")"
t_eq "systemd: RequiredBy= links into .requires" /usr/lib/systemd/system/req.service "$(readlink "$E/x.target.requires/req.service")"
t_check "systemd: enabling wins over disabling" test -L "$E/multi-user.target.wants/both.service"
t_check "systemd: disabling removes the unit's links and aliases" test ! -L "$E/multi-user.target.wants/dis.service" -a ! -L "$E/dis-alias.service"
t_check "systemd: the unit file itself stays" test -f "$L/dis.service"
t_check "systemd: an enablement link of a unit no package ships is removed" test ! -L "$E/multi-user.target.wants/gone.service"
t_check "systemd: top-level links that are no enablement stay (the admin's)" test -L "$E/sshd-kept.service"
t_check "systemd: a masked unit stays masked" test "$(readlink "$E/masked.service")" = /dev/null
t_eq "systemd: the result" '["a.service","b.service","both.service","req.service"] ["dis.service"] ["gone.service (multi-user.target.wants)"]' \
	"$(u_out_msg SystemdServicesResult '"\(.enabled | sort | tojson) \(.disabled | tojson) \(.removed_broken | tojson)"')"
t_eq "systemd: what could not be done, with why" "../x.service: not a unit name|masked.service: masked|missing.service: no unit file|noinst.service: its unit file has no [Install]" \
	"$(u_out_msg SystemdServicesResult '[.failed[] | sub("( \\(|;| section| in the).*"; "")] | sort | join("|")')"
t_eq "systemd: an info entry and a medium one" "info medium" "$(u_out '[.reports[].severity] | join(" ")')"
first=$(u_out '.reports[] | "\(.key) \(.severity) \(.title)"')
t_check "systemd: the first run's entry says what it changed, nothing is 'already'" bash -c \
	"grep -q '^The upgrade changed which systemd units' <<<\"\$1\" && ! grep -q Already <<<\"\$1\"" _ "$(u_out '.reports[0].summary')"
h=$(find "$E" -printf '%p %l\n' | sort | md5sum)
u_actor sd set_systemd_services_states "$J"
t_eq "systemd: a second run changes nothing" "$h [] []" "$(find "$E" -printf '%p %l\n' | sort | md5sum) $(u_out_msg SystemdServicesResult '"\(.enabled | tojson) \(.disabled | tojson)"')"
# the first run killed before its commit leaves no report entry: the second must say the state
t_eq "systemd: a second run reports the same entries (key, severity, title)" "$first" \
	"$(u_out '.reports[] | "\(.key) \(.severity) \(.title)"')"
S2=$(u_out '.reports[0].summary')
t_check "systemd: the second run's entry says the units were in their target state already" grep -q "in their target state already" <<<"$S2"
t_eq "systemd: and names them: enabled, disabled, the source's broken link gone (not the top-level one)" \
	"Already enabled:|a.service|b.service|both.service|req.service|Already disabled (no enablement link names them):|dis.service|Broken enablement links of the source system, already removed:|gone.service (multi-user.target.wants)" \
	"$(sed -n '/^Already enabled:/,$p' <<<"$S2" | sed 's/^ *- //' | paste -sd'|')"

# ---- schedule_selinux_relabel ----
S=$(mkroot se)
relabel() { echo "{\"messages\": [{\"model\": \"SELinuxFacts\", \"data\": $1}]}" >"$J"; rm -f "$S/.autorelabel"; u_actor se schedule_selinux_relabel "$J"; }
relabel '{"config_present": true, "mode": "enforcing", "policy": "targeted"}'
t_check "selinux: enforcing: /.autorelabel" test -e "$S/.autorelabel"
t_eq "selinux: and an info entry" "${K_SELINUX_RELABEL_SCHEDULED} info" "$(u_out '.reports[] | "\(.key) \(.severity)"')"
relabel '{"config_present": true, "mode": "permissive"}'
t_check "selinux: permissive: /.autorelabel" test -e "$S/.autorelabel"
relabel '{"config_present": true, "mode": "disabled"}'
t_check "selinux: disabled: no relabel" test ! -e "$S/.autorelabel"
relabel '{"config_present": true, "mode": "disabled", "cmdline_override": "selinux=0"}'
t_check "selinux: selinux=0: no relabel" test ! -e "$S/.autorelabel"
mkdir -p "$S/etc/selinux" && printf 'SELINUX=disabled\nSELINUXTYPE=targeted\n' >"$S/etc/selinux/config"
relabel '{"config_present": true, "mode": "enforcing"}'
t_check "selinux: the upgraded config disables it: no relabel" test ! -e "$S/.autorelabel"
echo '{}' >"$J"; u_actor se schedule_selinux_relabel "$J"
t_check "selinux: no facts: no relabel, no failure" test "$U_RC" = 0 -a ! -e "$S/.autorelabel"

# ---- create_resume_service / remove_resume_service ----
S=$(mkroot rs)
echo '{}' >"$J"
u_actor rs create_resume_service "$J"
t_eq "resume: created" 0 "$U_RC"
t_check "resume: a oneshot running leapp upgrade --resume" grep -qx "ExecStart=/usr/bin/leapp upgrade --resume" "$S/etc/systemd/system/leapp_resume.service"
t_check "resume: its [Install] is multi-user.target" grep -qx "WantedBy=multi-user.target" "$S/etc/systemd/system/leapp_resume.service"
t_eq "resume: enabled for multi-user.target" /etc/systemd/system/leapp_resume.service \
	"$(readlink "$S/etc/systemd/system/multi-user.target.wants/leapp_resume.service")"
echo '{"leapp_command": "/opt/leapp/bin/leapp"}' >"$U_DIR/conf.json"
u_actor rs create_resume_service "$J" --config "$U_DIR/conf.json"
t_check "resume: a second run (with another leapp) rewrites it" grep -qx "ExecStart=/opt/leapp/bin/leapp upgrade --resume" \
	"$S/etc/systemd/system/leapp_resume.service"
echo '{"leapp_command": "leapp; rm -rf /"}' >"$U_DIR/conf.json"
u_actor rs create_resume_service "$J" --config "$U_DIR/conf.json"
t_eq "resume: a leapp_command that is no plain absolute path is refused" 1 "$U_RC"
mkdir -p "$S/etc/systemd/system/default.target.wants"
ln -s /etc/systemd/system/leapp_resume.service "$S/etc/systemd/system/default.target.wants/leapp_resume.service"
u_actor rs remove_resume_service "$J"
t_eq "resume: the unit and both links are removed" "0 0" "$U_RC $(find "$S/etc/systemd/system" -name leapp_resume.service | wc -l)"
t_eq "resume: with an info entry" "$K_RESUME_SERVICE_REMOVED" "$(u_out '.reports[].key')"
u_actor rs remove_resume_service "$J"
t_eq "resume: a second run has nothing to remove" "0 0" "$U_RC $(u_out '.reports | length')"
# as in the workflow: ResumeService says leapp installed it; a second run (the first was killed
# before its commit, its entry lost) finds nothing and says it is removed already
u_actor rs create_resume_service "$J"
u_out '{messages: .messages}' >"$U_DIR/rs.json"
u_actor rs remove_resume_service "$U_DIR/rs.json"
t_eq "resume: with ResumeService: removed, an info entry" "0 0 $K_RESUME_SERVICE_REMOVED" \
	"$U_RC $(find "$S/etc/systemd/system" -name leapp_resume.service | wc -l) $(u_out '.reports[].key')"
u_actor rs remove_resume_service "$U_DIR/rs.json"
t_eq "resume: with ResumeService, a second run: the same entry" "0 $K_RESUME_SERVICE_REMOVED" "$U_RC $(u_out '.reports[].key')"
t_check "resume: which says it was removed already" grep -q "it is removed already" <<<"$(u_out '.reports[].summary')"

# ---- upgrade_cleanup ----
S=$(mkroot cl)
MID=0123456789abcdef0123456789abcdef
mkdir -p "$S/etc" "$S/var/lib/leapp/el9userspace/usr/bin" "$S/var/lib/leapp/el9userspace.new" "$S/var/lib/leapp/packages/r/Packages" \
	"$S/var/lib/leapp/transaction-test/rpmdb.x" "$S/var/lib/leapp/scratch/a" "$S/var/log/leapp" "$S/boot/loader/entries" "$S/boot/grub2"
echo $MID >"$S/etc/machine-id"
head -c 100000 /dev/zero >"$S/var/lib/leapp/el9userspace/usr/bin/big"
echo x >"$S/var/lib/leapp/packages/r/Packages/a.rpm"
echo exec >"$S/var/lib/leapp/rpm-upgrade.started"
echo db >"$S/var/lib/leapp/leapp.db"
echo log >"$S/var/log/leapp/leapp-upgrade.log"
echo k >"$S/boot/vmlinuz-upgrade.x86_64"; echo i >"$S/boot/initramfs-upgrade.x86_64.img"; echo h >"$S/boot/.vmlinuz-upgrade.x86_64.hmac"
echo k >"$S/boot/vmlinuz-6.1.0"
printf 'title RHEL-Upgrade-Initramfs\nlinux /vmlinuz-upgrade.x86_64\ninitrd /initramfs-upgrade.x86_64.img\n' >"$S/boot/loader/entries/$MID-upgrade.x86_64.conf"
printf 'title new\nlinux /vmlinuz-6.1.0\n' >"$S/boot/loader/entries/$MID-6.1.0.conf"
cat >"$J" <<JSON
{"messages": [
 {"model": "TargetUserSpaceInfo", "data": {"path": "$S/var/lib/leapp/el9userspace", "path_in_root": "/var/lib/leapp/el9userspace",
   "target_major": 9, "packages": []}},
 {"model": "DownloadedPackages", "data": {"cache_dir": "$S/var/lib/leapp/packages", "cache_dir_in_root": "/var/lib/leapp/packages", "packages": []}},
 {"model": "UpgradeBootArtifacts", "data": {"kernel": "/boot/vmlinuz-upgrade.x86_64", "initramfs": "/boot/initramfs-upgrade.x86_64.img",
   "kver": "6.1.0", "arch": "x86_64", "kernel_bytes": 2, "initramfs_bytes": 2, "dracut": "host"}},
 {"model": "IPUConfig", "data": {"source_distro": "almalinux", "source_version": "8.10", "source_major": 8, "target_distro": "almalinux",
   "target_version": "9.6", "target_major": 9, "architecture": "x86_64"}}]}
JSON
u_actor cl upgrade_cleanup "$J"
t_eq "cleanup: succeeds" 0 "$U_RC"
t_eq "cleanup: the userspace, the cache, the test copy, the mark and the upgrade boot files are gone" "" \
	"$(cd "$S" && ls -d var/lib/leapp/el9userspace* var/lib/leapp/packages var/lib/leapp/transaction-test var/lib/leapp/rpm-upgrade.started \
		boot/*upgrade* boot/.*upgrade* boot/loader/entries/*upgrade* 2>/dev/null | tr '\n' ' ')"
t_check "cleanup: leapp's database, logs and scratch stay, and the new kernel" test -e "$S/var/lib/leapp/leapp.db" -a \
	-e "$S/var/log/leapp/leapp-upgrade.log" -a -d "$S/var/lib/leapp/scratch/a" -a -e "$S/boot/vmlinuz-6.1.0" -a \
	-e "$S/boot/loader/entries/$MID-6.1.0.conf"
t_check "cleanup: the report says what was removed and what is kept" grep -q "Kept: leapp's database" <(u_out '.reports[].summary')
first=$(u_out '.reports[] | "\(.key) \(.severity) \(.title)"')
h=$(find "$S" -printf '%p %l\n' | sort | md5sum)
u_actor cl upgrade_cleanup "$J"
t_eq "cleanup: a second run removes nothing" "0 $h" "$U_RC $(find "$S" -printf '%p %l\n' | sort | md5sum)"
# the first run killed before its commit leaves no report entry: the second must say the state
t_eq "cleanup: a second run reports the same entry (key, severity, title)" "$first" "$(u_out '.reports[] | "\(.key) \(.severity) \(.title)"')"
t_eq "cleanup: which names what the messages say the upgrade made as gone already" \
	"The upgraded system booted; the files only the upgrade needed are removed already.|Gone already (removed earlier in the upgrade, or by an earlier run of this step that was interrupted):|/var/lib/leapp/el9userspace (the target userspace)|/var/lib/leapp/packages (the downloaded packages and the repository metadata)|/boot/vmlinuz-upgrade.x86_64 (the upgrade kernel)|/boot/initramfs-upgrade.x86_64.img (the upgrade initramfs)" \
	"$(u_out '.reports[].summary' | grep -v '^Kept:' | sed 's/^ *- //' | paste -sd'|')"
jq '{messages: [.messages[] | select(.model == "IPUConfig")]}' "$J" >"$U_DIR/cl-ipu.json"
u_actor cl upgrade_cleanup "$U_DIR/cl-ipu.json"
t_eq "cleanup: no message names anything the upgrade made, nothing there: no entry" "0 0" "$U_RC $(u_out '.reports | length')"
mkdir -p "$S/etc/keep" && echo x >"$S/etc/keep/file"
sed -i 's|"path_in_root": "/var/lib/leapp/el9userspace"|"path_in_root": "/etc"|; s|"cache_dir_in_root": "/var/lib/leapp/packages"|"cache_dir_in_root": "/var/lib/leapp/../../../etc"|' "$J"
u_actor cl upgrade_cleanup "$J"
t_check "cleanup: paths outside /var/lib/leapp in the messages are never removed" test -e "$S/etc/keep/file" -a -e "$S/etc/machine-id"

# ---- systemd_units_migration ----
S=$(mkroot mig)
migr() {
	echo "{\"messages\": [{\"model\": \"SystemdUnits\", \"data\": {\"enabled\": $1}},
	  {\"model\": \"PlannedTransaction\", \"data\": {\"status\": \"planned\", \"rpmdb_fingerprint\": \"x\", \"counts\": {}, \"problems\": [], \"kept\": [],
	   \"repos\": [], \"items\": [{\"action\": \"$2\", \"name\": \"chrony\", \"version\": \"4.5\", \"release\": \"3.el9\", \"arch\": \"x86_64\",
	   \"repo\": \"baseos\", \"reason\": \"PES\"}]}}]}" >"$J"
	u_actor mig systemd_units_migration "$J"
}
migr '["ntpd.service", "sshd.service"]' install
t_eq "renamed units: ntpd.service enabled and chrony installed: chronyd.service enabled, ntpd.service disabled" \
	'["chronyd.service"] ["ntpd.service"]' "$(u_out_msg SystemdServicesTasks '"\(.to_enable | tojson) \(.to_disable | tojson)"')"
t_eq "renamed units: reported (info)" "$K_SYSTEMD_UNITS_RENAMED info" "$(u_out '.reports[] | "\(.key) \(.severity)"')"
migr '["sshd.service"]' install
t_eq "renamed units: ntpd.service not enabled: nothing" 0 "$(u_out '.messages | length')"
migr '["ntpd.service"]' remove
t_eq "renamed units: chrony not installed by the plan: nothing" 0 "$(u_out '.messages | length')"

# ---- cache_repo_metadata ----
S=$(mkroot cm)
mkdir -p "$U_DIR/repo1/repodata"
echo '<repomd/>' >"$U_DIR/repo1/repodata/repomd.xml"; echo primary >"$U_DIR/repo1/repodata/abc-primary.xml.gz"
cat >"$J" <<JSON
{"messages": [
 {"model": "PlannedTransaction", "data": {"status": "planned", "rpmdb_fingerprint": "x", "counts": {}, "problems": [], "kept": [], "items": [],
   "repos": [{"repoid": "r1", "baseurl": ["file://$U_DIR/repo1"], "origin": "upgrade_repos"}]}},
 {"model": "DownloadedPackages", "data": {"cache_dir": "$S/var/lib/leapp/packages", "packages": []}}]}
JSON
u_actor cm cache_repo_metadata "$J"
t_eq "metadata cache: copied beside the packages" "0 <repomd/>" "$U_RC $(cat "$S/var/lib/leapp/packages/r1/repodata/repomd.xml")"
t_eq "metadata cache: the message" "/var/lib/leapp/packages/r1 abc-primary.xml.gz,repomd.xml" \
	"$(u_out_msg RepoMetadataCache '.repos[0] | "\(.path_in_root) \(.files | sort | join(","))"')"
echo '<repomd v2/>' >"$U_DIR/repo1/repodata/repomd.xml"
u_actor cm cache_repo_metadata "$J"
t_eq "metadata cache: a second run replaces the copy" "0 <repomd v2/>" "$U_RC $(cat "$S/var/lib/leapp/packages/r1/repodata/repomd.xml")"
rm "$U_DIR/repo1/repodata/repomd.xml"
u_actor cm cache_repo_metadata "$J"
t_eq "metadata cache: a repository without repomd.xml fails, the old copy stays" "1 <repomd v2/>" \
	"$U_RC $(cat "$S/var/lib/leapp/packages/r1/repodata/repomd.xml")"

# ---- on a demo system up to the reboot: late_rpmdb_check and rpm_upgrade ----
u_actors_noboot
u_sysroot demo base || { t_fail "mksysroot demo"; t_done; exit 1; }
u_leapp base preupgrade
u_leapp base upgrade
t_eq "demo: upgrade up to the reboot" 0 "$U_RC" || u_show base
u_probe base
u_input base "$U_DIR/late.json" PlannedTransaction
u_input base "$U_DIR/up.json" PlannedTransaction DownloadedPackages RepoMetadataCache TargetGpgKeys TransactionTestResult IPUConfig
t_eq "demo: the Download phase cached the repositories' metadata" 4 "$(u_msg base RepoMetadataCache '.repos | length')"

u_copy base l
u_actor l late_rpmdb_check "$U_DIR/late.json"
t_eq "late check: the rpmdb is as planned" "0 yes" "$U_RC $(u_out '.logs[].message' | grep -q 'as planned' && echo yes)"
t_rpmdb_writable "$(u_root l)"
u_rpm l -e --nodeps --noscripts --justdb tzdata
u_actor l late_rpmdb_check "$U_DIR/late.json"
t_eq "late check: a package removed since the plan stops the upgrade" 1 "$U_RC"
t_check "late check: it says so, naming the package" grep -q "no longer installed: tzdata" <(u_out '.errors[] | "\(.message) \(.details)"')
echo other-execution >"$(u_root l)/var/lib/leapp/rpm-upgrade.started"
u_actor l late_rpmdb_check "$U_DIR/late.json"
t_eq "late check: the mark of another upgrade does not count" 1 "$U_RC"
echo standalone >"$(u_root l)/var/lib/leapp/rpm-upgrade.started"
u_actor l late_rpmdb_check "$U_DIR/late.json"
t_eq "late check: once this upgrade's RPM upgrade has started, the check steps aside" "0 yes" \
	"$U_RC $(u_out '.logs[].message' | grep -q 'has started already' && echo yes)"

# rpm_upgrade refuses a changed rpmdb when it has not started (and changes nothing)
u_copy base g1
t_rpmdb_writable "$(u_root g1)"
u_rpm g1 -e --nodeps --noscripts --justdb tzdata
before=$(u_rpm g1 -qa | sort)
u_actor g1 rpm_upgrade "$U_DIR/up.json"
t_eq "rpm_upgrade: a changed rpmdb before it started is refused" 1 "$U_RC"
t_check "rpm_upgrade: saying so" grep -q "changed since the upgrade transaction was planned" <(u_out '.errors[].message')
t_eq "rpm_upgrade: nothing changed, no mark" "$before no-mark" "$(u_rpm g1 -qa | sort) $(test -e "$(u_root g1)/var/lib/leapp/rpm-upgrade.started" || echo no-mark)"

# a package the transaction needs that was not downloaded: refused before anything changes
u_copy base g2
jq '(.messages[] | select(.model == "DownloadedPackages") | .data.packages) |= map(select(.name != "bash"))' "$U_DIR/up.json" >"$U_DIR/up-nobash.json"
before=$(u_rpm g2 -qa | sort)
u_actor g2 rpm_upgrade "$U_DIR/up-nobash.json"
t_eq "rpm_upgrade: a package that was not downloaded is refused" 1 "$U_RC"
t_check "rpm_upgrade: naming it" grep -q "bash-5.1.8-9.el9.x86_64" <(u_out '.errors[].details')
t_eq "rpm_upgrade: nothing changed, no mark" "$before no-mark" "$(u_rpm g2 -qa | sort) $(test -e "$(u_root g2)/var/lib/leapp/rpm-upgrade.started" || echo no-mark)"

# resumed (the mark), the rpmdb changed: an erasure the plan does not make is refused
u_copy base g3
t_rpmdb_writable "$(u_root g3)"
u_rpm g3 -e --nodeps --noscripts --justdb tzdata
echo standalone >"$(u_root g3)/var/lib/leapp/rpm-upgrade.started"
jq '(.messages[] | select(.model == "PlannedTransaction") | .data.items) |=
	map(select(.action != "obsolete") | if .name == "libmemcached-awesome" then .from = null else . end)' "$U_DIR/up.json" >"$U_DIR/up-noobs.json"
before=$(u_rpm g3 -qa | grep -v gpg-pubkey | sort)
u_actor g3 rpm_upgrade "$U_DIR/up-noobs.json"
t_eq "rpm_upgrade: an erasure beyond the plan is refused" 1 "$U_RC"
t_check "rpm_upgrade: naming it" grep -q "libmemcached-libs-1.0.18-17.el8.x86_64" <(u_out '.errors[].details')
t_eq "rpm_upgrade: no package changed" "$before" "$(u_rpm g3 -qa | grep -v gpg-pubkey | sort)"

# no TargetGpgKeys: the signatures could not be checked again, so nothing is done (issue 22)
u_copy base g4
jq '.messages |= map(select(.model != "TargetGpgKeys"))' "$U_DIR/up.json" >"$U_DIR/up-nokeys.json"
before=$(u_rpm g4 -qa | sort)
u_actor g4 rpm_upgrade "$U_DIR/up-nokeys.json"
t_eq "rpm_upgrade: no TargetGpgKeys is an error" 1 "$U_RC"
t_check "rpm_upgrade: saying the signatures cannot be checked again" grep -q "TargetGpgKeys message: without it the packages' signatures cannot be checked" \
	<(u_out '.errors[].details')
t_eq "rpm_upgrade: nothing changed, no mark" "$before no-mark" "$(u_rpm g4 -qa | sort) $(test -e "$(u_root g4)/var/lib/leapp/rpm-upgrade.started" || echo no-mark)"

# the scriptlets' log cannot be opened: an error naming it, not output sent to fd 0 (issue 22)
u_copy base g5
mkdir -p "$(u_root g5)/var/log/leapp/rpm-upgrade/rpm-transaction.log"
before=$(u_rpm g5 -qa | sort)
u_actor g5 rpm_upgrade "$U_DIR/up.json"
t_eq "rpm_upgrade: an unopenable scriptlet log is an error" 1 "$U_RC"
t_check "rpm_upgrade: naming the log" grep -q "var/log/leapp/rpm-upgrade/rpm-transaction.log: Is a directory" <(u_out '.errors[].details')
t_eq "rpm_upgrade: no package changed" "$before" "$(u_rpm g5 -qa | sort)"

# the real transaction with a key to import; run again: nothing to do, no key imported twice
u_copy base k
export GNUPGHOME=$U_DIR/gnupg
mkdir -m 0700 "$GNUPGHOME"
gpg --batch --quiet --passphrase '' --quick-gen-key "Import Me (leapp test, NOT SECRET) <import@test.invalid>" rsa2048 sign never 2>/dev/null
KID=$(gpg --batch --with-colons --list-keys import@test.invalid | awk -F: '/^pub/ {print tolower(substr($5, 9)); exit}')
CREATED=$(gpg --batch --with-colons --list-keys import@test.invalid | awk -F: '/^pub/ {printf "%08x", $6; exit}')
jq --arg a "$(gpg --batch --armor --export import@test.invalid)" --arg nvr "gpg-pubkey-$KID-$CREATED" \
	'(.messages[] | select(.model == "TargetGpgKeys") | .data.to_import) = [{key_id: "0000000000000000", fingerprint: "00", gpg_pubkey: $nvr,
	  source: "repo", armored: $a}]' "$U_DIR/up.json" >"$U_DIR/up-key.json"
u_actor k rpm_upgrade "$U_DIR/up-key.json"
t_eq "rpm_upgrade: the transaction succeeds" 0 "$U_RC" || tail -5 "$U_DIR/k.rpm_upgrade.err"
t_eq "rpm_upgrade: upgraded, the key imported" "upgraded [\"gpg-pubkey-$KID-$CREATED\"]" \
	"$(u_out_msg RPMUpgradeResult '"\(.status) \(.keys_imported | tojson)"')"
t_check "rpm_upgrade: the key is in the rpmdb" u_rpm k -q "gpg-pubkey-$KID-$CREATED"
t_check "rpm_upgrade: it rebuilt the el8 BerkeleyDB rpmdb in sqlite first (rpmdb_rebuild did not run here)" \
	grep -q "rebuilt the RPM database from bdb to sqlite first" <(u_out '.logs[].message')
t_check "rpm_upgrade: the rpmdb is sqlite now" test -f "$(u_root k)/var/lib/rpm/rpmdb.sqlite" -a ! -e "$(u_root k)/var/lib/rpm/Packages"
t_eq "rpm_upgrade: the rpmdb holds the expected packages" "$(u_expected base)" "$(u_names k)"
t_eq "rpm_upgrade: progress was reported" yes "$(grep -q 'RPM upgrade: .* transaction elements' <(u_out '.logs[].message') && echo yes)"
t_check "rpm_upgrade: scriptlet output goes to rpm-transaction.log" test -s "$(u_root k)/var/log/leapp/rpm-upgrade/rpm-transaction.log"
t_eq "rpm_upgrade: the old kernel is reported as kept, nothing else left" "$K_RPM_UPGRADE_OLD_KERNEL_KEPT" "$(u_out '[.reports[].key] | join(" ")')"
h=$(u_rpm k -qa --qf '%{NEVRA} %{INSTALLTIME}\n' | sort | md5sum)
u_actor k rpm_upgrade "$U_DIR/up-key.json"
t_eq "rpm_upgrade: a second run does nothing" "0 nothing-to-do [] $h" \
	"$U_RC $(u_out_msg RPMUpgradeResult '"\(.status) \(.keys_imported | tojson)"') $(u_rpm k -qa --qf '%{NEVRA} %{INSTALLTIME}\n' | sort | md5sum)"
rm -f "$(u_root k)/var/lib/leapp/rpm-upgrade.started"
u_actor k rpm_upgrade "$U_DIR/up-key.json"
t_eq "rpm_upgrade: run after the upgrade ended (no mark): nothing to do" "0 nothing-to-do" \
	"$U_RC $(u_out_msg RPMUpgradeResult .status)"
t_done

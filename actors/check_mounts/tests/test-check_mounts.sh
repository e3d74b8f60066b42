#!/bin/bash
# check_mounts (with storage_scanner and root_scanner on small roots): noexec /var*, mounts
# missing from fstab, fstab entries shadowing each other, API filesystems redefined in fstab,
# /var/run not a link to ../run. Each inhibits with upstream's title; a clean root passes.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
R=$F_DIR/root
mkdir -p "$R/etc" "$R/proc/self" "$R/var" "$R/run" "$R/boot"
ln -s ../run "$R/var/run"
FSTAB_OK='UUID=1111 / xfs defaults 0 0
UUID=2222 /boot xfs defaults 0 0
UUID=3333 /var xfs defaults 0 0
UUID=4444 swap swap defaults 0 0'
MI_ROOT='95 1 252:2 / / rw,relatime shared:1 - xfs /dev/vda2 rw
40 95 252:1 / /boot rw,relatime shared:60 - xfs /dev/vda1 rw
41 95 252:3 / /var rw,relatime shared:61 - xfs /dev/vda3 rw'
setup() { # FSTAB MOUNTINFO
	printf '%s\n' "$1" >"$R/etc/fstab"
	printf '%s\n' "$2" >"$R/proc/self/mountinfo"
}
# run the scanners and the check; $INH: the inhibitor titles, one a line
check() {
	run_actor storage_scanner "$R"; local s=$A_OUT
	run_actor root_scanner "$R"; local r=$A_OUT
	jq -n -c --argjson wf "$(ipu 8.10 9.6)" --argjson s "$s" --argjson r "$r" \
		'{workflow: $wf, messages: ($s.messages + $r.messages)}' >"$F_DIR/in.json"
	run_actor check_mounts "$R" "$F_DIR/in.json"
	INH=$(printf '%s' "$A_OUT" | jq -r '.reports[] | select(.groups | index("inhibitor")) | .title')
}
rep() { printf '%s' "$A_OUT" | jq -r --arg t "$1" ".reports[] | select(.title == \$t) | $2"; }
NOEXEC='Detected partitions mounted with the "noexec" option, preventing a successful in-place upgrade.'
PERSIST='Detected partitions mounted in a non-persistent fashion, preventing a successful in-place upgrade.'
ORDER='Detected incorrect order of entries or duplicate entries in /etc/fstab, preventing a successful in-place upgrade.'
APIFS='Detected invalid entries in /etc/fstab for pseudo-filesystem mountpoints'
VARRUN='/var/run is not correctly configured'

setup "$FSTAB_OK" "$MI_ROOT"
check
t_eq "a clean system passes" "0|" "$A_RC|$INH"

setup "${FSTAB_OK/\/var xfs defaults/\/var xfs defaults,noexec}" "$MI_ROOT"
check
t_eq "/var noexec in fstab inhibits" "$NOEXEC" "$INH"
t_check "it names /var and fstab" grep -q '^/var is listed in /etc/fstab' <<<"$(rep "$NOEXEC" .summary)"
t_eq "severity and groups" "high filesystem,inhibitor" "$(rep "$NOEXEC" '"\(.severity) \(.groups | sort | join(","))"')"
setup "$FSTAB_OK
UUID=5555 /var/lib/leapp xfs noexec 0 0" "$MI_ROOT
42 41 252:4 / /var/lib/leapp rw,noexec,relatime shared:62 - xfs /dev/vda4 rw"
check
t_check "/var/lib/leapp noexec inhibits, named" grep -q '^/var/lib/leapp is listed' <<<"$(rep "$NOEXEC" .summary)"
setup "$FSTAB_OK" "${MI_ROOT/\/var rw,relatime/\/var rw,noexec,relatime}"
check
t_eq "/var mounted noexec (fstab fixed, not remounted) inhibits" "$NOEXEC" "$INH"
t_check "it says mounted" grep -q '^/var is mounted with' <<<"$(rep "$NOEXEC" .summary)"
setup "${FSTAB_OK/\/var xfs defaults/\/var xfs nodev,noexecx}" "$MI_ROOT"
check
t_eq "an option that only starts with noexec passes" "" "$INH"

setup "$(grep -v /var <<<"$FSTAB_OK")" "$MI_ROOT
43 95 252:5 / /usr rw,relatime shared:63 - xfs /dev/vda5 rw"
check
t_eq "/var and /usr mounted but not in fstab inhibit" "$PERSIST" "$INH"
t_check "both named" grep -q 'without an entry in /etc/fstab: /usr, /var\.' <<<"$(rep "$PERSIST" .summary)"
setup "$FSTAB_OK" "$MI_ROOT
44 95 252:6 / /srv rw,relatime shared:64 - xfs /dev/vda6 rw"
check
t_eq "a mount the upgrade does not need may lack an entry" "" "$INH"

setup "UUID=2222 /boot xfs defaults 0 0
UUID=1111 / xfs defaults 0 0
UUID=3333 /var/ xfs defaults 0 0
UUID=3333 /var xfs defaults 0 0" "$MI_ROOT"
check
t_eq "/ after /boot and a duplicate /var inhibit" "$ORDER" "$INH"
t_eq "the summary gives the duplicate and the order" "Mount points listed more than once: /var|Mount points that shadow each other, in fstab order: /boot, /, /var, /var" \
	"$(rep "$ORDER" .summary | tail -2 | paste -sd'|')"
t_eq "the hint gives a good order" "- /|- /var|- /boot" "$(rep "$ORDER" '.detail.remediations[0].context' | tail -3 | sed 's/^ *//' | paste -sd'|')"
setup "UUID=1111 / xfs defaults 0 0
UUID=3333 /var xfs defaults 0 0
UUID=5555 /var/lib xfs defaults 0 0
UUID=2222 /boot xfs defaults 0 0
UUID=6666 /varx xfs defaults 0 0" "$MI_ROOT"
check
t_eq "parents first, /varx is not below /var: passes" "" "$INH"

setup "$FSTAB_OK
/dev/vdb1 /proc xfs defaults 0 0
devtmpfs /dev devtmpfs defaults 0 0
tmpfs /dev/shm tmpfs defaults 0 0
none /run tmpfs defaults 0 0
tmpfs /sys/ sysfs defaults 0 0" "$MI_ROOT"
check
t_eq "/proc on a device and /sys from tmpfs inhibit" "$APIFS" "$INH"
t_eq "both named with their lines" "2" "$(rep "$APIFS" .summary | grep -c -e '- /proc (line 5: /dev/vdb1 xfs)' -e '- /sys (line 9: tmpfs sysfs)')"
t_check "and nothing else" bash -c '! grep -q -e /dev/shm -e "- /run" -e "- /dev " <<<"$1"' _ "$(rep "$APIFS" .summary)"
setup "$FSTAB_OK
UUID=7777 /dev xfs defaults 0 0" "$MI_ROOT"
check
t_eq "/dev overridden inhibits" "$APIFS" "$INH"

setup "$FSTAB_OK" "$MI_ROOT"
rm "$R/var/run"; mkdir "$R/var/run"
check
t_eq "/var/run a directory inhibits" "$VARRUN" "$INH"
t_eq "it names /var/run" "directory /var/run" "$(rep "$VARRUN" '.detail.related_resources[0] | "\(.scheme) \(.title)"')"
rmdir "$R/var/run"; ln -s /tmp "$R/var/run"
check
t_eq "/var/run a link elsewhere inhibits" "$VARRUN" "$INH"
rm "$R/var/run"; ln -s /run "$R/var/run"
check
t_eq "/var/run -> /run passes" "" "$INH"
rm "$R/var/run"
check
t_eq "no /var/run: not checked" "" "$INH"
t_done

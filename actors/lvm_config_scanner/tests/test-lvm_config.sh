#!/bin/bash
# lvm_config_scanner + check_lvm_config on lvm.conf files under --root: release 8's default (no
# devices file) gives the info entry with vgimportdevices; a filter is named as what stays; a
# devices file in use (use_devicesfile=1 and the file there) gives none; an lvm.conf that does not
# parse is a high entry naming its line; no lvm2 package: no scan at all.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
R=$F_DIR/root
mkdir -p "$R/etc/lvm/devices"
rpms() { printf '{"items":['; local s=""; for n; do printf '%s{"name":"%s","version":"1","release":"1","arch":"x86_64"}' "$s" "$n"; s=,; done; printf ']}'; }
T='LVM filter definition detected.'
scanned() { A_OUT=$SCAN_OUT msgr LVMConfig "$1"; } # a field of the scanner's LVMConfig
run() { # SOURCE-VERSION PACKAGES...
	local v=$1
	shift
	mk_input "$F_DIR/in.json" "$(ipu "$v" 9.6)" DistributionSignedRPM "$(rpms "$@")"
	run_actor lvm_config_scanner "$R" "$F_DIR/in.json"
	SCAN_RC=$A_RC SCAN_OUT=$A_OUT
	chain_input "$F_DIR/in2.json" "$(ipu "$v" 9.6)"
	run_actor check_lvm_config "$R" "$F_DIR/in2.json"
	TITLES=$(printf '%s' "$A_OUT" | jq -r '[.reports[].title] | join("|")')
}

cat >"$R/etc/lvm/lvm.conf" <<'CONF'
# lvm.conf as release 8 ships it, trimmed
config {
	checks = 1
}
devices {
	dir = "/dev"
	scan = [ "/dev" ]
	# use_devicesfile = 0
	filter = [ "a|^/dev/vd.*|", "r|.*|" ]
}
activation {
	udev_sync = 1
}
CONF
run 8.10 bash lvm2
t_eq "scanner: runs" 0 "$SCAN_RC"
t_eq "release 8 default: no devices file; the filter read" 'false|system.devices|false|a|^/dev/vd.*|,r|.*|' \
	"$(scanned '"\(.use_devicesfile)|\(.devicesfile)|\(.devicesfile_exists)|\(.filter | join(","))"')"
t_eq "check: the info entry" "$T" "$TITLES"
t_eq "... info, with vgimportdevices" "info vgimportdevices" \
	"$(printf '%s' "$A_OUT" | jq -r '.reports[0] | "\(.severity) \([.detail.remediations[] | select(.type == "command") | .context[]] | join(" "))"')"
t_check "... saying the filter stays" grep -q "keeps selecting devices with the filter of lvm.conf" \
	<<<"$(printf '%s' "$A_OUT" | jq -r '.reports[0].summary')"

# the devices file in use
sed -i 's|# use_devicesfile = 0|use_devicesfile = 1|' "$R/etc/lvm/lvm.conf"
: >"$R/etc/lvm/devices/system.devices"
run 8.10 lvm2
t_eq "devices file in use: read" "true true" "$(scanned '"\(.use_devicesfile) \(.devicesfile_exists)"')"
t_eq "devices file in use: no entry" "" "$TITLES"
# use_devicesfile = 1 but the file is missing: the filter still decides
rm "$R/etc/lvm/devices/system.devices"
run 8.10 lvm2
t_eq "use_devicesfile=1 without the file: the entry" "$T" "$TITLES"

# a release 9 source: use_devicesfile defaults to 1
sed -i '/use_devicesfile/d' "$R/etc/lvm/lvm.conf"
: >"$R/etc/lvm/devices/system.devices"
run 9.4 lvm2
t_eq "release 9 default: the devices file" "true" "$(scanned .use_devicesfile)"

# an lvm.conf that does not parse: named with its line
printf 'devices {\n\tfilter = [ "a|.*|"\n}\n' >"$R/etc/lvm/lvm.conf"
run 8.10 lvm2
t_eq "broken lvm.conf: a high entry" "The LVM configuration cannot be read high" \
	"$(printf '%s' "$A_OUT" | jq -r '.reports[0] | "\(.title) \(.severity)"')"
t_check "... naming the file and line" grep -q "/etc/lvm/lvm.conf:[0-9]*: " <<<"$(printf '%s' "$A_OUT" | jq -r '.reports[0].summary')"

# lvm2 not installed (or not the distribution's): nothing scanned
run 8.10 bash
t_eq "no lvm2: no LVMConfig" "null" "$(scanned .)"
t_eq "no lvm2: no entry" "" "$TITLES"
t_done

#!/bin/bash
# vdo_conversion_scanner + check_vdo on devices that are files under --root: a VDO geometry
# block at offset 0 (vdo manager) inhibits; one moved in without an LVM label (conversion cut
# short) inhibits; moved in with an LVM PV label (converted) passes; an unreadable device asks
# check_vdo.confirm, and True waives it.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
R=$F_DIR/root
mkdir -p "$R/dev" "$R/sys/block"
dev() { # NAME SYSDIR [VDO-OFFSET] [lvm]
	mkdir -p "$R/sys/block/$2"
	echo 16384 >"$R/sys/block/$2/size"
	truncate -s 8M "$R/dev/$1"
	[ -n "${3:-}" ] && printf 'dmvdo001' | dd of="$R/dev/$1" bs=1 seek="$3" conv=notrunc status=none
	[ "${4:-}" = lvm ] && { printf 'LABELONE' | dd of="$R/dev/$1" bs=1 seek=512 conv=notrunc status=none
		printf 'LVM2 001' | dd of="$R/dev/$1" bs=1 seek=536 conv=notrunc status=none; }
	true
}
smsg() { A_OUT=$S_OUT msg "$@"; }
check() { # [ANSWERS-JSON]
	run_actor vdo_conversion_scanner "$R"
	S_OUT=$A_OUT
	chain_input "$F_DIR/in.json" "$(ipu 8.10 9.6)"
	if [ -n "${1:-}" ]; then
		echo "$1" >"$F_DIR/answers.json"
		A_OUT=$("$F_ACTORS/check_vdo/check_vdo" --root "$R" --input "$F_DIR/in.json" --answers "$F_DIR/answers.json" 2>/dev/null); A_RC=$?
	else
		run_actor check_vdo "$R" "$F_DIR/in.json"
	fi
	INH=$(printf '%s' "$A_OUT" | jq -r '[.reports[] | select(.groups | index("inhibitor")) | .title] | sort | join("|")')
}
dev vda vda; rm "$R/dev/vda"; mkdir -p "$R/sys/block/vda/vda1"; echo 16384 >"$R/sys/block/vda/vda1/size"; truncate -s 8M "$R/dev/vda1"
dev vdb vdb 2097152 lvm        # converted
dev vdc vdc                    # nothing
mkdir -p "$R/sys/block/dm-0" "$R/sys/block/loop0"   # never read
check
t_eq "no VDO, a converted one, device-mapper and loop skipped: passes" "0|" "$A_RC|$INH"
t_eq "the converted one is post-conversion, complete" '["vdb true"]' "$(smsg VdoConversionInfo '[.post_conversion[] | "\(.name) \(.complete)"]')"

dev vdd vdd 0                  # the vdo manager's
dev vde vde 2097152            # moved, no LVM label
check
t_eq "unconverted and half-converted volumes inhibit" \
	"Detected VDO devices not managed by LVM|Detected VDO devices that have not finished the conversion to LVM management." "$INH"
t_check "each named" bash -c 'grep -q "device(s) vdd are" <<<"$1" && grep -q "device(s) vde were" <<<"$1"' _ "$(printf '%s' "$A_OUT" | jq -r '.reports[].summary')"
t_eq "severity, groups, link" "high drivers,inhibitor,services https://red.ht/import-existing-vdo-volumes-to-lvm" \
	"$(printf '%s' "$A_OUT" | jq -r '.reports[0] | "\(.severity) \(.groups | sort | join(",")) \(.detail.external[0].url)"')"
rm "$R/dev/vdd" "$R/dev/vde"; rm -r "$R/sys/block/vdd" "$R/sys/block/vde"

# a partition too small to be a VDO volume is not read; one that cannot be read asks
mkdir -p "$R/sys/block/vdf"; echo 100 >"$R/sys/block/vdf/size"
mkdir -p "$R/sys/block/vdg"; echo 16384 >"$R/sys/block/vdg/size"
check
t_eq "unreadable: a question in the dialogs" "check_vdo confirm" "$(printf '%s' "$A_OUT" | jq -r '.dialogs[0] | "\(.scope) \(.components[0].key)"')"
t_eq "only vdg undetermined (vdf is too small)" '["vdg"]' "$(smsg VdoConversionInfo '[.undetermined_conversion[].name]')"
t_eq "unanswered: the check failure inhibits" "Checking VDO conversion to LVM management of block devices failed" "$INH"
check '{"check_vdo": {"confirm": true}}'
t_eq "answered True: waived, with an info entry" "|Skipping the VDO check of block devices info" \
	"$INH|$(printf '%s' "$A_OUT" | jq -r '.reports[0] | "\(.title) \(.severity)"')"
dev vdd vdd 0
check '{"check_vdo": {"confirm": true}}'
t_eq "answered True: an unconverted volume still inhibits" "Detected VDO devices not managed by LVM" "$INH"
t_done

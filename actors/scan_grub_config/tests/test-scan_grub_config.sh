#!/bin/bash
# scan_grub_config + detect_grub_config_error: a grubenv that is not a 1 KiB block starting
# with its header, a GRUB_CMDLINE_LINUX syntax error and a missing final newline in
# /etc/default/grub each inhibit; a good configuration passes.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
R=$F_DIR/root
mkdir -p "$R/boot/grub2" "$R/boot/efi/EFI/almalinux" "$R/etc/default"
grubenv() { # FILE [CONTENT-LINES]: a valid 1 KiB block
	{ printf '# GRUB Environment Block\n%s' "${2:-saved_entry=abc
}"; head -c 1024 /dev/zero | tr '\0' '#'; } | head -c 1024 >"$1"
}
DEFGRUB='GRUB_TIMEOUT=5
GRUB_DEFAULT=saved
GRUB_CMDLINE_LINUX="crashkernel=auto resume=/dev/mapper/rl-swap rhgb quiet" # a comment
GRUB_DISABLE_RECOVERY="true"
GRUB_ENABLE_BLSCFG=true'
check() { # ARCH
	mk_input "$F_DIR/in0.json" "$(ipu 8.10 9.6 "${1:-x86_64}")"
	run_actor scan_grub_config "$R" "$F_DIR/in0.json"
	chain_input "$F_DIR/in.json" "$(ipu 8.10 9.6)"
	run_actor detect_grub_config_error "$R" "$F_DIR/in.json"
	INH=$(printf '%s' "$A_OUT" | jq -r '[.reports[] | select(.groups | index("inhibitor")) | .title] | join("|")')
}
rep() { printf '%s' "$A_OUT" | jq -r --arg t "$1" ".reports[] | select(.title == \$t) | $2"; }
ENV_T='Detected a corrupted grubenv file'
NL_T='Detected a missing newline at the end of grub configuration file'
SYN_T='Syntax error detected in grub configuration'

grubenv "$R/boot/efi/EFI/almalinux/grubenv"
ln -s ../efi/EFI/almalinux/grubenv "$R/boot/grub2/grubenv"
printf '%s\n' "$DEFGRUB" >"$R/etc/default/grub"
check
t_eq "a good configuration passes" "0|" "$A_RC|$INH"

rm "$R/boot/grub2/grubenv"
cp "$R/boot/efi/EFI/almalinux/grubenv" "$R/boot/grub2/grubenv"
echo >>"$R/boot/grub2/grubenv"
check
t_eq "1025 bytes inhibit" "$ENV_T" "$INH"
t_eq "names the file; high, boot" "/boot/grub2/grubenv high boot,inhibitor" \
	"$(rep "$ENV_T" '"\(.detail.related_resources | map(.title) | join(",")) \(.severity) \(.groups | sort | join(","))"')"
head -c 1023 "$R/boot/efi/EFI/almalinux/grubenv" >"$R/boot/grub2/grubenv"; echo >>"$R/boot/grub2/grubenv"
check
t_eq "1024 bytes ending with a newline inhibit" "$ENV_T" "$INH"
{ printf 'saved_entry=abc\n'; head -c 1008 /dev/zero | tr '\0' '#'; } >"$R/boot/grub2/grubenv"
check
t_eq "1024 bytes without the header inhibit" "$ENV_T" "$INH"
: >"$R/boot/efi/EFI/almalinux/grubenv"
check
t_eq "both files named" "/boot/grub2/grubenv,/boot/efi/EFI/almalinux/grubenv" "$(rep "$ENV_T" '.detail.related_resources | map(.title) | join(",")')"
check s390x
t_eq "s390x (zipl): grubenv not checked" "" "$INH"
rm "$R/boot/grub2/grubenv"
ln -s /boot/efi/EFI/almalinux/grubenv "$R/boot/grub2/grubenv"
check
t_eq "an absolute link is followed in the root, the file named once" "/boot/grub2/grubenv" "$(rep "$ENV_T" '.detail.related_resources | map(.title) | join(",")')"
grubenv "$R/boot/efi/EFI/almalinux/grubenv"
check
t_eq "... and a good block behind it passes" "" "$INH"

printf '%s' "$DEFGRUB" >"$R/etc/default/grub"
check
t_eq "no final newline inhibits" "$NL_T" "$INH"
t_eq "names /etc/default/grub" /etc/default/grub "$(rep "$NL_T" '.detail.related_resources[0].title')"

printf '%s\n' "${DEFGRUB/rhgb quiet\"/rhgb\" quiet\"}" >"$R/etc/default/grub"
check
t_eq "words after the closing quote inhibit" "$SYN_T" "$INH"
t_check "the line is named" grep -q '(line 3)' <<<"$(rep "$SYN_T" .summary)"
printf '%s\n' "${DEFGRUB/rhgb quiet\"/rhgb quiet}" >"$R/etc/default/grub"
check
t_eq "an unclosed quote inhibits" "$SYN_T" "$INH"
printf 'GRUB_CMDLINE_LINUX_DEFAULT="x" y\nGRUB_CMDLINE_LINUX=rhgb\n  export GRUB_CMDLINE_LINUX="a \\"b\\" c"\n' >"$R/etc/default/grub"
check
t_eq "an unquoted word, escaped quotes, other keys pass" "" "$INH"
t_done

#!/bin/bash
# selinux_prepare (Preparation) and selinux_apply_custom (Applications) on a synthetic root whose
# semodule and semanage are stubs (a static busybox shell) recording their argv: the real tools
# cannot run on a synthetic el8 root here. prepare saves the modules and the import lines under
# /var/lib/leapp/selinux and removes them; apply installs and imports them again, retries an
# import line with -m, and reports by name what fails.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
if [ "$(id -u)" != 0 ] || [ ! -x /bin/busybox ] || ! file /bin/busybox 2>/dev/null | grep -q static; then
	t_ok "# SKIP needs root (chroot) and a static busybox"; t_done; exit 0
fi
f_tmpdir
R=$F_DIR/root
S=$R/var/lib/selinux/targeted/active
mkdir -p "$R/bin" "$R/usr/sbin" "$R/tmp" "$S/modules/400/mywebapp" "$S/modules/400/broken" "$S/modules/300/mycil"
cp /bin/busybox "$R/bin/busybox"; ln -s busybox "$R/bin/sh"
echo 'hll mywebapp' >"$S/modules/400/mywebapp/hll"; echo pp >"$S/modules/400/mywebapp/lang_ext"
echo 'hll broken' >"$S/modules/400/broken/hll"; echo pp >"$S/modules/400/broken/lang_ext"
echo 'hll mycil' >"$S/modules/300/mycil/hll"; echo cil >"$S/modules/300/mycil/lang_ext"
printf '/srv/www(/.*)?    system_u:object_r:httpd_sys_content_t:s0\n' >"$S/file_contexts.local"
printf 'portcon tcp 8081 system_u:object_r:http_port_t:s0\n' >"$S/ports.local"
printf 'httpd_can_network_connect=1\n' >"$S/booleans.local"
# semodule: records its argv; installing "broken" fails (the new policy lacks a type it uses)
cat >"$R/usr/sbin/semodule" <<'X'
#!/bin/sh
echo "semodule $*" >>/tmp/calls
case "$*" in *broken.pp*) echo "Failed to resolve typeattributeset statement" >&2; exit 1 ;; esac
exit 0
X
# semanage: records argv and the import file; a file with two lines fails as a whole, "-a -t
# http_port_t" fails (defined already) but its -m form works, a boolean line always fails
cat >"$R/usr/sbin/semanage" <<'X'
#!/bin/sh
echo "semanage $*" >>/tmp/calls
if [ "$1" = import ]; then
	/bin/busybox cat "$3" >>/tmp/imported
	[ "$(/bin/busybox wc -l <"$3")" -gt 1 ] && exit 1
	/bin/busybox grep -q -- "-a -t http_port_t" "$3" && exit 1
	/bin/busybox grep -q "^boolean" "$3" && exit 1
fi
exit 0
X
chmod +x "$R/usr/sbin/semodule" "$R/usr/sbin/semanage"
run_actor selinux_content_scanner "$R"
chain_input "$F_DIR/in.json" "$(ipu 8.10 9.6)"
run_actor selinux_prepare "$R" "$F_DIR/in.json"
t_eq "prepare runs" 0 "$A_RC"
t_eq "modules saved" "hll broken hll mycil hll mywebapp" \
	"$(cat "$R/var/lib/leapp/selinux/400/broken.pp" "$R/var/lib/leapp/selinux/300/mycil.cil" "$R/var/lib/leapp/selinux/400/mywebapp.pp" | tr '\n' ' ' | sed 's/ $//')"
t_eq "customizations saved" 3 "$(wc -l <"$R/var/lib/leapp/selinux/import")"
t_eq "removed in one semodule call, then the customizations of each kind" "$(printf '%s\n' \
	'semodule -X 300 -r mycil -X 400 -r broken -X 400 -r mywebapp' 'semanage fcontext -D' 'semanage boolean -D' 'semanage port -D')" "$(cat "$R/tmp/calls")"
: >"$R/tmp/calls"
run_actor selinux_apply_custom "$R" "$F_DIR/in.json"
t_eq "apply runs" 0 "$A_RC"
t_eq "each module installed from the saved file" "$(printf '%s\n' 'semodule -X 300 -i /var/lib/leapp/selinux/300/mycil.cil' \
	'semodule -X 400 -i /var/lib/leapp/selinux/400/broken.pp' 'semodule -X 400 -i /var/lib/leapp/selinux/400/mywebapp.pp')" \
	"$(grep '^semodule' "$R/tmp/calls")"
t_eq "import: all at once, then line by line, the port retried with -m" \
	"fcontext -a -f a -t httpd_sys_content_t -r 's0' '/srv/www(/.*)?'|boolean -m -1 httpd_can_network_connect|port -a -t http_port_t -r 's0' -p tcp 8081|port -m -t http_port_t -r 's0' -p tcp 8081" \
	"$(tail -n 4 "$R/tmp/imported" | paste -sd'|')"
T='SELinux failed to reapply some customizations after the upgrade.'
entry() { printf '%s' "$A_OUT" | jq -r --arg t "$T" "[.reports[] | select(.title == \$t)] | last | $1"; }
t_eq "report: medium, security selinux" 'medium ["security","selinux"]' "$(entry .severity) $(entry '.groups | tojson')"
t_check "names the module that failed" grep -q "module broken (priority 400), kept in /var/lib/leapp/selinux/400/broken.pp" <<<"$(entry .summary)"
t_check "names the command that failed" grep -q "semanage boolean -m -1 httpd_can_network_connect" <<<"$(entry .summary)"
t_check "does not name what worked" bash -c '! grep -q "mywebapp\|http_port_t" <<<"$1"' _ "$(entry .summary)"
t_check "the failed module's file is kept, the installed ones removed" \
	test -e "$R/var/lib/leapp/selinux/400/broken.pp" -a ! -e "$R/var/lib/leapp/selinux/400/mywebapp.pp"
t_done

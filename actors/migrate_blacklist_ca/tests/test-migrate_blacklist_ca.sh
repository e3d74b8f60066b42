#!/bin/bash
# migrate_blacklist_ca (Applications) on a synthetic upgraded root: files and links move from
# blacklist to blocklist, links into a blacklist directory are retargeted, an existing target
# is left alone, the emptied directories go; a second run changes nothing.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
R=$F_DIR/root
E=$R/etc/pki/ca-trust/source U=$R/usr/share/pki/ca-trust-source
mkdir -p "$E/blacklist/sub" "$U/blacklist" "$E/blocklist"
echo bad >"$E/blacklist/bad.pem"
echo worse >"$E/blacklist/sub/worse.pem"
echo old >"$E/blacklist/dup.pem"; echo new >"$E/blocklist/dup.pem"
ln -s /etc/pki/ca-trust/source/blacklist/bad.pem "$U/blacklist/bad-link.pem"
ln -s /etc/pki/tls/certs/other.pem "$U/blacklist/other-link.pem"
mk_input "$F_DIR/in.json" "$(ipu 8.10 9.6)"
run_actor migrate_blacklist_ca "$R" "$F_DIR/in.json"
t_eq "runs" 0 "$A_RC"
t_eq "files moved" "bad worse" "$(cat "$E/blocklist/bad.pem") $(cat "$E/blocklist/sub/worse.pem")"
t_eq "link into blacklist retargeted" /etc/pki/ca-trust/source/blocklist/bad.pem "$(readlink "$U/blocklist/bad-link.pem")"
t_eq "other link kept" /etc/pki/tls/certs/other.pem "$(readlink "$U/blocklist/other-link.pem")"
t_eq "existing target left alone, source kept" "new old" "$(cat "$E/blocklist/dup.pem") $(cat "$E/blacklist/dup.pem")"
t_check "emptied directories removed" test ! -e "$U/blacklist" -a ! -e "$E/blacklist/sub"
t_eq "no report" 0 "$(printf '%s' "$A_OUT" | jq '.reports | length')"
h=$(cd "$R" && find . -printf '%p %l\n' | sort | sha256sum)
run_actor migrate_blacklist_ca "$R" "$F_DIR/in.json"
t_eq "second run: nothing changes" "$h" "$(cd "$R" && find . -printf '%p %l\n' | sort | sha256sum)"
# a certificate that cannot be moved is reported by name
if [ "$(id -u)" = 0 ] && command -v chattr >/dev/null && rm -f "$E/blacklist/dup.pem" && echo x >"$E/blacklist/stuck.pem" && chattr +i "$E/blacklist/stuck.pem" 2>/dev/null; then
	run_actor migrate_blacklist_ca "$R" "$F_DIR/in.json"
	chattr -i "$E/blacklist/stuck.pem"
	t_check "an immovable certificate is reported by name" grep -q "/etc/pki/ca-trust/source/blacklist/stuck.pem" \
		<<<"$(printf '%s' "$A_OUT" | jq -r '.reports[] | select(.title == "Distrusted CA certificates could not be moved to blocklist") | .summary')"
else
	mkdir -p "$E/blacklist"; echo x >"$E/blacklist/stuck.pem"; chmod 0555 "$E/blacklist"
	if [ "$(id -u)" != 0 ]; then
		run_actor migrate_blacklist_ca "$R" "$F_DIR/in.json"
		t_check "an immovable certificate is reported by name" grep -q "/etc/pki/ca-trust/source/blacklist/stuck.pem" \
			<<<"$(printf '%s' "$A_OUT" | jq -r '.reports[] | select(.title == "Distrusted CA certificates could not be moved to blocklist") | .summary')"
	fi
	chmod 0755 "$E/blacklist"
fi
t_done

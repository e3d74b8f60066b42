#!/bin/bash
# migrate_openssl_conf (Applications) on a synthetic upgraded root: a modified openssl.cnf
# kept beside openssl.cnf.rpmnew gets OpenSSL 3's providers; without .rpmnew nothing changes;
# a second run changes nothing; a file without the initialization is reported.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
R=$F_DIR/root
C=$R/etc/pki/tls/openssl.cnf
mkdir -p "$R/etc/pki/tls"
cp "$T_TOP/actors/openssl_config_scanner/tests/el8-openssl.cnf" "$C"
chmod 0640 "$C"
mk_input "$F_DIR/in.json" "$(ipu 8.10 9.6)"
run_actor migrate_openssl_conf "$R" "$F_DIR/in.json"
t_eq "no .rpmnew: untouched" "$(sha256sum <"$T_TOP/actors/openssl_config_scanner/tests/el8-openssl.cnf")" "$(sha256sum <"$C")"
touch "$C.rpmnew"
run_actor migrate_openssl_conf "$R" "$F_DIR/in.json"
t_eq "runs" 0 "$A_RC"
t_check "openssl_conf = openssl_init, the old line commented" grep -qzP '# openssl_conf = default_modules\nopenssl_conf = openssl_init\n' "$C"
t_check "[openssl_init] with providers" grep -qzP '# \[ default_modules \]\n\[openssl_init\]\nproviders = provider_sect\n' "$C"
t_check "provider blocks appended" grep -qzP '\[provider_sect\]\ndefault = default_sect\n##legacy = legacy_sect\n\n\[default_sect\]\nactivate = 1\n' "$C"
t_eq "mode kept" 640 "$(stat -c %a "$C")"
t_check "the scanner reads the result: openssl_init reaches the providers" \
	bash -c '. "$1"; . "$2"; run_actor openssl_config_scanner "$3"; [ "$(msg OpenSslConfig .openssl_conf)" = "\"openssl_init\"" ] && [ "$(msg OpenSslConfig "[.blocks[] | select(.name == \"openssl_init\") | .pairs[].key] | index(\"providers\") != null")" = true ]' \
	_ "$T_TOP/tests/lib.sh" "$T_TOP/tests/facts/lib-facts.sh" "$R"
h=$(sha256sum <"$C")
run_actor migrate_openssl_conf "$R" "$F_DIR/in.json"
t_eq "second run: unchanged" "$h" "$(sha256sum <"$C")"
printf 'openssl_conf = my_init\n[ my_init ]\n' >"$C"
run_actor migrate_openssl_conf "$R" "$F_DIR/in.json"
t_check "no initialization to change: reported" grep -q "Could not modify /etc/pki/tls/openssl.cnf" <<<"$(printf '%s' "$A_OUT" | jq -r '.reports[].title')"
t_eq "and left alone" "openssl_conf = my_init" "$(head -1 "$C")"
t_done

#!/bin/bash
# check_openssl_config: release 8's stock openssl.cnf passes; a missing crypto policy include,
# MinProtocol, duplicate extensions are reported; a non-standard initialization inhibits.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
R=$F_DIR/root
mkdir -p "$R/etc/pki/tls"
titles() { printf '%s' "$A_OUT" | jq -r '[.reports[] | "\(.severity):\(.title)"] | sort | join("|")'; }
run() { # scan the file in $R, then check it
	run_actor openssl_config_scanner "$R"
	chain_input "$F_DIR/in.json" "$(ipu 8.10 9.6)"
	run_actor check_openssl_config / "$F_DIR/in.json"
}
cp "$T_TOP/actors/openssl_config_scanner/tests/el8-openssl.cnf" "$R/etc/pki/tls/openssl.cnf"
run
t_eq "stock file: nothing" "" "$(titles)"
sed -i 's|^.include .*|MinProtocol = TLSv1.2|' "$R/etc/pki/tls/openssl.cnf"
printf 'subjectKeyIdentifier=hash\n' >>"$R/etc/pki/tls/openssl.cnf"
run
t_eq "no include, MinProtocol, duplicate extension" \
	"low:There are duplicate x509 extensions defined in openssl.cnf|medium:The OpenSSL configuration is missing the crypto policies integration|medium:The meaning of MinProtocol and MaxProtocol in openssl.cnf changed" "$(titles)"
t_check "names the duplicate" grep -q "subjectKeyIdentifier" <<<"$(printf '%s' "$A_OUT" | jq -r '.reports[] | select(.severity == "low") | .summary')"
sed -i 's|^openssl_conf = default_modules|openssl_conf = my_init|' "$R/etc/pki/tls/openssl.cnf"
run
t_eq "non-standard initialization: high inhibitor" '["security","network","services","inhibitor"]' \
	"$(printf '%s' "$A_OUT" | jq -c '.reports[] | select(.title == "Non-standard configuration of openssl.cnf") | .groups')"
t_done

#!/bin/bash
# openssl_config_scanner: openssl.cnf's openssl_conf, blocks and pairs (comments stripped,
# .include without '='); absent: present false.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
R=$F_DIR/root
mkdir -p "$R/etc/pki/tls"
cp "$(dirname "$0")/el8-openssl.cnf" "$R/etc/pki/tls/openssl.cnf"
run_actor openssl_config_scanner "$R"
t_eq "present, openssl_conf" 'true "default_modules"' "$(msg OpenSslConfig .present) $(msg OpenSslConfig .openssl_conf)"
t_eq "blocks" '["default_modules","ssl_module","crypto_policy","ca","CA_default","usr_cert"]' "$(msg OpenSslConfig '[.blocks[].name]')"
t_eq ".include" '[{"key":".include","value":"/etc/crypto-policies/back-ends/opensslcnf.config"}]' "$(msg OpenSslConfig '.blocks[2].pairs')"
t_eq "comment after a value stripped" '"CA_default"' "$(msg OpenSslConfig '.blocks[3].pairs[0].value')"
rm "$R/etc/pki/tls/openssl.cnf"
run_actor openssl_config_scanner "$R"
t_eq "absent" 'false []' "$(msg OpenSslConfig .present) $(msg OpenSslConfig .blocks)"
t_done

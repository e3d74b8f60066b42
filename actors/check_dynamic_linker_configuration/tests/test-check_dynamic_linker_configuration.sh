#!/bin/bash
# dynamic_linker_scanner + check_dynamic_linker_configuration: a custom line in ld.so.conf, an
# unowned drop-in with an effective line, ld.so.preload and LD_LIBRARY_PATH in profile.d are
# found and reported with upstream's title; comment-only drop-ins and a plain ld.so.conf
# give nothing.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
R=$F_DIR/root
mkdir -p "$R/etc/ld.so.conf.d" "$R/etc/profile.d"
printf 'include ld.so.conf.d/*.conf\n' >"$R/etc/ld.so.conf"
printf '# only a comment\n\n' >"$R/etc/ld.so.conf.d/empty.conf"
scan_check() {
	run_actor dynamic_linker_scanner "$R"
	chain_input "$F_DIR/in.json" "$(ipu 8.10 9.6)"
	run_actor check_dynamic_linker_configuration / "$F_DIR/in.json"
}
scan_check
t_eq "plain configuration: no report" 0 "$(printf '%s' "$A_OUT" | jq '.reports | length')"
printf 'include ld.so.conf.d/*.conf\n/opt/legacy/lib64\n' >"$R/etc/ld.so.conf"
printf '/opt/vendor/lib\n' >"$R/etc/ld.so.conf.d/vendor.conf"
printf '/usr/lib64/libfaketime.so.1\n' >"$R/etc/ld.so.preload"
printf '# vendor\nexport LD_LIBRARY_PATH=/opt/vendor/lib:$LD_LIBRARY_PATH\n' >"$R/etc/profile.d/vendor.sh"
printf 'LD_PRELOAD=/usr/lib64/libhook.so\n' >"$R/etc/environment"
run_actor dynamic_linker_scanner "$R"
t_eq "scanner: the ld.so.conf line" '["/opt/legacy/lib64"]' "$(msg DynamicLinkerConfiguration .main_config_lines)"
t_eq "scanner: the unowned drop-in, not the comment-only one" '["/etc/ld.so.conf.d/vendor.conf"]' "$(msg DynamicLinkerConfiguration .custom_configs)"
t_eq "scanner: ld.so.preload" '["/usr/lib64/libfaketime.so.1"]' "$(msg DynamicLinkerConfiguration .preload)"
t_eq "scanner: the variables with file and line" '["LD_PRELOAD /etc/environment 1","LD_LIBRARY_PATH /etc/profile.d/vendor.sh 2"]' \
	"$(msg DynamicLinkerConfiguration '[.used_variables[] | "\(.name) \(.file) \(.line)"]')"
scan_check
t_eq "reported with upstream's title and severity" "Detected customized configuration for dynamic linker.|high" \
	"$(printf '%s' "$A_OUT" | jq -r '.reports[] | "\(.title)|\(.severity)"')"
S=$(printf '%s' "$A_OUT" | jq -r '.reports[0].summary')
for w in /opt/legacy/lib64 /etc/ld.so.conf.d/vendor.conf libfaketime "LD_LIBRARY_PATH=/opt/vendor/lib" "/etc/profile.d/vendor.sh line 2"; do
	t_check "the summary names $w" grep -qF -- "$w" <<<"$S"
done
t_eq "not an inhibitor" "false" "$(printf '%s' "$A_OUT" | jq '.reports[0].groups | index("inhibitor") != null')"
# /etc/profile.d behind an absolute symlink is listed inside the root, not on the host
mv "$R/etc/profile.d" "$R/etc/profile.d-real"
ln -s /etc/profile.d-real "$R/etc/profile.d"
run_actor dynamic_linker_scanner "$R"
t_eq "scanner: a symlinked profile.d is listed inside the root" '["LD_PRELOAD /etc/environment 1","LD_LIBRARY_PATH /etc/profile.d/vendor.sh 2"]' \
	"$(msg DynamicLinkerConfiguration '[.used_variables[] | "\(.name) \(.file) \(.line)"]')"
t_done

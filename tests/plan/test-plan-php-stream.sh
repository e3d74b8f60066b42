#!/bin/bash
# The PHP module stream (upstream enable_php_module, issue 20): with php:8.2 enabled on the
# source and the php:8.2 stream in the target's AppStream (php-stream.yaml), the stream stays
# enabled ("same") and php-cli is upgraded within it, not to the non-modular php 8.0 that the
# target's AppStream also has; no PES event is needed.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-plan.sh"

p_init
p_sysroot ../../../tests/plan/php-stream php || { t_fail "mksysroot php-stream"; t_done; exit 1; }
p_preupgrade php
t_eq "preupgrade succeeds" 0 "$P_RC" || p_show php
t_eq "php-cli stays in the php:8.2 stream" "upgrade 8.2.13-1.module_el9.4.0+104+bd3ac4a5 almalinux9-appstream" \
	"$(jq -r '.transaction[] | select(.name == "php-cli") | "\(.action) \(.version)-\(.release) \(.repo)"' "$(p_plan php)")"
t_check "the planner keeps the stream as it is" grep -q "module stream php:8.2 -> php:8.2 (same)" \
	"$P_DIR/php/root/var/log/leapp/leapp-preupgrade.log"
t_done

#!/bin/bash
# selinux_scanner: /etc/selinux/config, and the kernel command line's selinux=0 / enforcing=0.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"

f_tmpdir
R=$F_DIR/root
mkdir -p "$R/etc/selinux" "$R/proc"
printf '# comment\nSELINUX=enforcing\nSELINUXTYPE=targeted\n' >"$R/etc/selinux/config"
echo "BOOT_IMAGE=/vmlinuz root=/dev/vda2 ro quiet" >"$R/proc/cmdline"
run_actor selinux_scanner "$R"
t_eq "enforcing, targeted" '"enforcing targeted true null"' "$(msg SELinuxFacts '"\(.mode) \(.policy) \(.config_present) \(.cmdline_override)"')"
echo "BOOT_IMAGE=/vmlinuz root=/dev/vda2 ro enforcing=0" >"$R/proc/cmdline"
run_actor selinux_scanner "$R"
t_eq "enforcing=0 on the command line: permissive" '"permissive enforcing=0"' "$(msg SELinuxFacts '"\(.mode) \(.cmdline_override)"')"
echo "BOOT_IMAGE=/vmlinuz root=/dev/vda2 ro selinux=0" >"$R/proc/cmdline"
run_actor selinux_scanner "$R"
t_eq "selinux=0: disabled" '"disabled"' "$(msg SELinuxFacts .mode)"
echo "BOOT_IMAGE=/vmlinuz noselinux=0" >"$R/proc/cmdline"
printf 'SELINUX=permissive\nSELINUXTYPE=mls\n' >"$R/etc/selinux/config"
run_actor selinux_scanner "$R"
t_eq "permissive, mls (noselinux=0 is not selinux=0)" '"permissive mls"' "$(msg SELinuxFacts '"\(.mode) \(.policy)"')"
rm -r "$R/etc/selinux"
run_actor selinux_scanner "$R"
t_eq "no config: disabled" '"disabled false"' "$(msg SELinuxFacts '"\(.mode) \(.config_present)"')"
t_done

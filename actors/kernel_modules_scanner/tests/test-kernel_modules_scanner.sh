#!/bin/bash
# kernel_modules_scanner: proc/modules, and unknown when it is missing.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"

f_tmpdir
R=$F_DIR/root
mkdir -p "$R/proc"
printf 'nfsv4 1011712 2 - Live 0xffffffffc0a00000\nnfs 425984 2 nfsv4, Live 0xffffffffc0990000\nsunrpc 577536 14 nfsv4,nfs,lockd, Live 0xffffffffc0700000\n' >"$R/proc/modules"
run_actor kernel_modules_scanner "$R"
t_eq "modules" '"nfsv4 nfs sunrpc"' "$(msg LoadedKernelModules '[.modules[].name] | join(" ")')"
t_eq "used by" '["nfsv4","nfs","lockd"]' "$(msg LoadedKernelModules '.modules[2].used_by')"
t_eq "size and refcount" '"425984 2"' "$(msg LoadedKernelModules '.modules[1] | "\(.size) \(.refcount)"')"
rm "$R/proc/modules"
run_actor kernel_modules_scanner "$R"
t_eq "missing: unknown, warned" "false $(k_unknown_fact /proc/modules)" "$(msg LoadedKernelModules .known) $(report_keys)"
t_done

#!/bin/bash
# make install / uninstall with PREFIX and DESTDIR: the layout, leapp --version, a preupgrade of
# the demo system by the installed tree, and a third-party C actor built against the installed
# libmsg through its pkg-config file.
# san: skip (a shell wrapper and make install: the sanitizer build adds nothing to them)
. "$(dirname "$0")/../lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
D=$(mktemp -d "${TMPDIR:-/tmp}/leapp-install.XXXXXX")
T_TMPDIRS="${T_TMPDIRS:-} $D"
trap 't_cleanup' EXIT
make -C "$T_TOP" -s install PREFIX=/usr DESTDIR="$D/root" >"$D/install.log" 2>&1
t_eq "make install PREFIX=/usr DESTDIR=...: exit 0" 0 $? || tail -5 "$D/install.log"
R=$D/root
for f in usr/bin/leapp usr/bin/leapp-fleet usr/libexec/leapp/leapp-msg usr/libexec/leapp/actors/check_memory/check_memory \
	usr/libexec/leapp/actors/check_memory/actor.yaml usr/share/leapp/phases/inplace-upgrade.yaml usr/share/leapp/models \
	usr/lib/dracut/modules.d/90sys-upgrade usr/lib/dracut/modules.d/85sys-upgrade-redhat usr/share/man/man8/leapp.8 \
	usr/share/man/man8/leapp-fleet.8 usr/share/bash-completion/completions/leapp usr/include/leapp/actor.h \
	usr/lib/libleappmsg.a usr/lib/pkgconfig/leapp-libmsg.pc usr/lib/systemd/system/leapp-rollback-report.service \
	usr/lib/systemd/system/multi-user.target.wants/leapp-rollback-report.service; do
	t_check "installed: /$f" test -e "$R/$f"
done
t_check "the rollback report unit runs the installed leapp" grep -qx "ExecStart=/usr/bin/leapp rollback boot-report" \
	"$R/usr/lib/systemd/system/leapp-rollback-report.service"
t_check "the rollback report unit is enabled" test "$(readlink "$R/usr/lib/systemd/system/multi-user.target.wants/leapp-rollback-report.service")" = ../leapp-rollback-report.service
t_check "the man page is roff" grep -q '^\.TH LEAPP 8' "$R/usr/share/man/man8/leapp.8"
t_check "man renders it" bash -c "man -l '$R/usr/share/man/man8/leapp-fleet.8' 2>/dev/null | grep -q 'leapp-fleet'"
comp() { PATH=$R/usr/bin:$PATH bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); "$F"; echo "${COMPREPLY[*]}"' _ \
	"$R/usr/share/bash-completion/completions/leapp" "$@"; }
t_eq "bash completion: commands" "preupgrade" "$(F=_leapp comp leapp pre)"
t_eq "bash completion: a command's options, from its --help" "--no-rhsm --no-rhsm-facts" "$(F=_leapp comp leapp preupgrade --no-rh)"
t_eq "bash completion: leapp-fleet's commands" "status" "$(F=_leapp_fleet comp leapp-fleet sta)"
v=$("$R/usr/bin/leapp" --version)
t_eq "leapp --version" "leapp 0.1 (C engine)" "$v"

# the installed tree upgrades-checks the demo system
sysroot demo || t_fail "mksysroot demo"
"$R/usr/bin/leapp" preupgrade --root "$SR/root" >"$D/pre.log" 2>&1
t_eq "the installed leapp runs a preupgrade of the demo system" 0 $? || tail -5 "$D/pre.log"
t_eq "its checks ran (the actors under libexec)" 1 \
	"$(sqlite3 "$SR/root/var/lib/leapp/leapp.db" "select count(*) from actor_runs where actor = 'check_memory'")"

# a third-party actor in C, built against the installed libmsg
mkdir -p "$D/actor"
cat >"$D/actor/hello.c" <<'C'
#include "leapp/actor.h"
int main(int argc, char **argv)
{
	actor_init(argc, argv);
	actor_report(report_new("Hello from a third-party actor", "Built against the installed libmsg.", "info"));
	return actor_finish();
}
C
export PKG_CONFIG_PATH=$R/usr/lib/pkgconfig PKG_CONFIG_SYSROOT_DIR=$R
# shellcheck disable=SC2046
cc -o "$D/actor/hello" "$D/actor/hello.c" $(pkg-config --cflags --libs leapp-libmsg) 2>"$D/cc.log"
t_eq "a C actor builds with pkg-config leapp-libmsg" 0 $? || tail -5 "$D/cc.log"
echo '{}' >"$D/actor/in.json"
out=$("$D/actor/hello" --input "$D/actor/in.json" 2>&1)
t_eq "it runs and reports, keyed as leapp keys it" "$(t_key info "Hello from a third-party actor")" "$(jq -r '.reports[0].key' <<<"$out")"

make -C "$T_TOP" -s uninstall PREFIX=/usr DESTDIR="$D/root" >/dev/null 2>&1
t_eq "make uninstall leaves no file" "" "$(find "$R" -type f -o -type l)"
t_done

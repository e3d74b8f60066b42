#!/bin/bash
# The demo upgrade: install the dependencies, build, make the demo system (release 8 with ~30
# packages, built by scripts/mksysroot) and upgrade it to release 9 with leapp, the reboots
# simulated the way upgrade.service and leapp_resume.service run leapp.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
scripts/install-deps.sh
make -j"$(nproc)"
out=${DEMO_DIR:-$top/build/demo}
LEAPP=$top/build/leapp
step() { printf '\n\033[1m=== %s\033[0m\n' "$*"; }

step "building the demo system (scripts/mksysroot demo $out)"
scripts/mksysroot demo "$out"
root=$out/root
# rpmdb_format ROOT: which format the system's rpmdb has (el8: BerkeleyDB, el9: sqlite)
rpmdb_format() {
	if [ -e "$1/var/lib/rpm/rpmdb.sqlite" ]; then echo "sqlite (rpmdb.sqlite, as el9 keeps it)"
	elif [ -e "$1/var/lib/rpm/Packages" ]; then echo "BerkeleyDB (Packages and its indexes, as el8 keeps it)"
	else echo "none"; fi
}
echo "the demo system's rpmdb: $(rpmdb_format "$root")"
# the synthetic target repositories hold no real dracut or systemd: take them from this host
export LEAPP_UNSUPPORTED=1 LEAPP_DEVEL_USE_HOST_DRACUT=1

step "leapp preupgrade --root $root"
"$LEAPP" preupgrade --root "$root"

step "leapp upgrade --root $root"
"$LEAPP" upgrade --root "$root"

step "(reboot into the upgrade initramfs) leapp upgrade --resume --root $root"
"$LEAPP" upgrade --resume --root "$root"

step "(first boot of the upgraded system) leapp upgrade --resume --root $root"
"$LEAPP" upgrade --resume --root "$root"

step "the upgraded system"
grep -E '^(NAME|VERSION_ID)=' "$root/etc/os-release"
echo "rpmdb: $(rpmdb_format "$root")"
grep -h " info rpmdb_rebuild: " "$root/var/log/leapp/leapp-upgrade.log" | sed 's/^/  /' || true
echo "installed packages: $(rpm --root "$root" --dbpath /var/lib/rpm -qa | wc -l)"
echo "kernels: $(rpm --root "$root" --dbpath /var/lib/rpm -q kernel-core | tr '\n' ' ')"
echo "report: $root/var/log/leapp/leapp-report.txt"

#!/bin/bash
# san: skip (scripts/mksysroot is Python; the sanitizer build changes nothing it runs)
# Builds the 'demo' system, checks what it is meant to exercise (third-party signatures,
# the edited %config file, the scriptlet, the PES events), then upgrades a copy of it with
# plain rpm the way the planned transaction would, to prove that manifest.json's expected
# outcome is reachable with these packages: .rpmnew, the el9 scriptlet, the package set.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/sysroot-lib.sh"

sr_tmpdir
out=$tmp/demo
R=$out/root
M=$out/manifest.json
if ! sr_build demo "$out"; then
	t_fail "mksysroot demo builds" "$(tail -20 "$out.log")"
	t_done; exit 1
fi
t_ok "mksysroot demo builds"

okey=$(sr_json "$M" 'd["keys"]["other"]["keyid"]')
t_check "acme-agent is signed with the other key (RSA/SHA256)" \
	bash -c "rpm --root '$R' --dbpath /var/lib/rpm -q --qf '%{rsaheader:pgpsig}' acme-agent 2>/dev/null | grep -q 'RSA/SHA256, .*Key ID $okey'"
t_check "legacy-monitor is signed with a SHA-1 digest" \
	bash -c "rpm --root '$R' --dbpath /var/lib/rpm -q --qf '%{rsaheader:pgpsig}' legacy-monitor 2>/dev/null | grep -q 'RSA/SHA1, .*Key ID $okey'"
t_eq "local-tools is unsigned" "(none)" "$(sr_rpm "$R" -q --qf '%{rsaheader:pgpsig}' local-tools)"
t_eq "the manifest marks exactly the three third-party packages as not distro-signed" \
	"acme-agent legacy-monitor local-tools" \
	"$(sr_json "$M" '" ".join(sorted(p["name"] for p in d["installed"] if not p["distro_signed"]))')"
t_eq "rpm -Va reports only the admin-edited config file" "S.5....T.  c /etc/demo-app/demo-app.conf" \
	"$(sr_rpm "$R" -Va)"
t_eq "demo-app's %post ran at install" "demo-app %post ran: 1" "$(cat "$R/var/lib/demo/scriptlet-ran" 2>&1)"
t_check "the third-party repo file is there, and repomap does not map it" bash -c "
	grep -q '^\[acme\]' '$R/etc/yum.repos.d/acme.repo' && ! grep -q '\"acme\"' '$R/etc/leapp/files/repomap.json'"
t_eq "PES events: split, removed, renamed, moved" "101:4 102:1 103:7 104:6" \
	"$(sr_json "$R/etc/leapp/files/pes-events.json" '" ".join("%d:%d" % (e["id"], e["action"]) for e in d["packageinfo"])')"
t_eq "PES split ntp -> chrony + ntpstat, by pesid" \
	"ntp@appstream -> chrony@almalinux9-baseos ntpstat@almalinux9-appstream" \
	"$(sr_json "$R/etc/leapp/files/pes-events.json" '[" ".join(p["name"]+"@"+p["repository"] for p in e["in_packageset"]["package"]) + " -> " + " ".join(p["name"]+"@"+p["repository"] for p in e["out_packageset"]["package"]) for e in d["packageinfo"] if e["id"] == 101][0]')"

# --- the upgrade, with rpm: kernels are installed beside, PES removals erased, the rest -U
up=$tmp/up
cp -a "$out" "$up"
U=$up/root
t_check "the demo's rpmdb is BerkeleyDB, as on el8" test -f "$U/var/lib/rpm/Packages" -a ! -e "$U/var/lib/rpm/rpmdb.sqlite"
sr_rebuilddb "$U"
t_check "rpm --rebuilddb rewrote it in sqlite" test -f "$U/var/lib/rpm/rpmdb.sqlite" -a ! -e "$U/var/lib/rpm/Packages"
sr_rpm "$U" --import "$up/keys/vendor.asc"
removed=$(sr_json "$M" '" ".join(d["expected"]["removed"])')
obsoleted=libmemcached-libs
erase=""
for p in $removed; do [ "$p" = "$obsoleted" ] || erase="$erase $p"; done
kernels=$(ls "$up"/repos/*/Packages/kernel-*.rpm)
others=$(sr_json "$M" '" ".join(d["expected"]["after_upgrade"])')
pkgs=""
for n in $others; do
	case $n in kernel|kernel-core|kernel-modules) continue ;; esac
	f=$(ls "$up"/repos/*/Packages/"$n"-[0-9]*.rpm 2>/dev/null | head -1)
	[ -n "$f" ] && pkgs="$pkgs $f"
done
# shellcheck disable=SC2086
if sr_rpm "$U" -e $erase && sr_rpm "$U" -i $kernels && sr_rpm "$U" -U $pkgs >"$tmp/up.log" 2>&1; then
	t_ok "rpm performs the demo upgrade (erase PES removals, install kernel, -U the rest)"
else
	t_fail "rpm performs the demo upgrade" "$(tail -20 "$tmp/up.log")"
fi
want=$( (sr_json "$M" '"\n".join(d["expected"]["after_upgrade"])'; echo kernel; echo kernel-core; echo kernel-modules) | sort)
t_eq "after it, the rpmdb holds exactly expected.after_upgrade (and both kernels)" "$want" \
	"$(sr_rpm "$U" -qa --qf '%{name}\n' | grep -v '^gpg-pubkey$' | sort)"
left=$(sr_rpm "$U" -qa --qf '%{name}-%{release}\n' | grep '\.el8' | grep -v '^kernel' || true)
t_eq "no el8 distribution package is left (except the old kernel)" "" "$left"
t_check "the edited config is kept and demo-app.conf.rpmnew is beside it" bash -c "
	grep -q 'tuned by the admin' '$U/etc/demo-app/demo-app.conf' && grep -q 'el9 default' '$U/etc/demo-app/demo-app.conf.rpmnew'"
t_eq "the el9 %post ran during the upgrade (\$1 = 2)" "demo-app el9 %post ran: 2" "$(cat "$U/var/lib/demo/el9-post-ran" 2>&1)"
. "$U/etc/os-release"
t_eq "os-release is the target's after the upgrade" "$(sr_json "$M" 'd["target"]["version"]')" "$VERSION_ID"
t_eq "the obsoleted libmemcached-libs was replaced by libmemcached-awesome" "libmemcached-awesome" \
	"$(sr_rpm "$U" -q --whatprovides 'libmemcached.so.11()(64bit)' --qf '%{name}')"

t_done

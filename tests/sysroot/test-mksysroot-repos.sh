#!/bin/bash
# san: skip (scripts/mksysroot is Python; the sanitizer build changes nothing it runs)
# Checks the target repositories that mksysroot makes: createrepo_c's metadata against the
# package files and the manifest, dependency closure as dnf (libsolv) sees it, and the
# modules.yaml of the 'modules' spec with libmodulemd.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/sysroot-lib.sh"

sr_tmpdir
demo=$tmp/demo
mods=$tmp/modules
unsat=$tmp/unsat
for s in demo:$demo modules:$mods inhibit-unsatdep:$unsat; do
	if ! sr_build "${s%%:*}" "${s#*:}"; then
		t_fail "mksysroot ${s%%:*} builds" "$(tail -20 "${s#*:}.log")"
		t_done; exit 1
	fi
done
t_ok "mksysroot demo, modules and inhibit-unsatdep build"

# repomd.xml -> primary.xml: every package file is listed once, with its checksum and size
t_check "primary.xml lists exactly the files of Packages/, with matching sha256 and size" "$SR_PY" -c '
import sys, os, gzip, hashlib, json
import xml.etree.ElementTree as ET
out = sys.argv[1]
m = json.load(open(out + "/manifest.json"))
ns = {"r": "http://linux.duke.edu/metadata/repo", "c": "http://linux.duke.edu/metadata/common"}
for rid, info in m["repos"].items():
    d = os.path.join(out, "repos", rid)
    md = ET.parse(d + "/repodata/repomd.xml").getroot()
    types = {e.get("type"): e for e in md.findall("r:data", ns)}
    assert {"primary", "filelists", "other"} <= set(types), types
    href = types["primary"].find("r:location", ns).get("href")
    prim = ET.fromstring(gzip.open(os.path.join(d, href)).read())
    assert int(prim.get("packages")) == len(info["packages"]), (rid, prim.get("packages"))
    files = sorted(os.listdir(d + "/Packages"))
    listed = []
    for p in prim.findall("c:package", ns):
        loc = p.find("c:location", ns).get("href")
        listed.append(os.path.basename(loc))
        data = open(os.path.join(d, loc), "rb").read()
        assert p.find("c:checksum", ns).text == hashlib.sha256(data).hexdigest(), loc
        assert int(p.find("c:size", ns).get("package")) == len(data), loc
    assert sorted(listed) == files, (rid, listed, files)
    names = sorted((x["name"], x["version"], x["release"], x["arch"]) for x in info["packages"])
    got = sorted((p.find("c:name", ns).text, p.find("c:version", ns).get("ver"),
                  p.find("c:version", ns).get("rel"), p.find("c:arch", ns).text)
                 for p in prim.findall("c:package", ns))
    assert names == got, (rid, names, got)
' "$demo"

t_eq "repomd.xml timestamps are the build epoch (reproducible metadata)" "" \
	"$(grep -h '<timestamp>' "$demo"/repos/*/repodata/repomd.xml | grep -v '<timestamp>1704067200</timestamp>')"

# the moved package is where the spec says, the removed/split-away ones are nowhere
t_check "mtools is in AppStream only (moved), ntp and mailx are in no target repo" \
	bash -c "ls '$demo/repos/almalinux9-appstream/Packages/' | grep -q '^mtools-4.0.26' && ! ls '$demo/repos/almalinux9-baseos/Packages/' | grep -q '^mtools-' && ! ls '$demo'/repos/*/Packages/ | grep -q -e '^ntp-' -e '^mailx-'"

# dnf (libsolv) resolves installing every target package into an empty root
dnf_all() {	# OUTDIR: dnf install --assumeno of every package of every target repo
	local out=$1 args=() names
	for r in "$out"/repos/*/; do
		r=${r%/}
		args+=(--repofrompath="$(basename "$r"),file://$r")
	done
	names=$(cd "$out/repos" && ls ./*/Packages/ | grep '\.rpm$' | sed 's/\.rpm$//')
	mkdir -p "$out.dnf/root" "$out.dnf/home"
	echo '%_dbpath /var/lib/rpm' >"$out.dnf/home/.rpmmacros"
	# shellcheck disable=SC2086
	HOME=$out.dnf/home dnf --installroot="$out.dnf/root" --releasever=9 --setopt=reposdir=/nonexistent \
		--setopt=cachedir="$out.dnf/cache" --setopt=gpgcheck=0 --setopt=install_weak_deps=0 \
		--setopt=module_platform_id=platform:el9 "${args[@]}" install --assumeno $names 2>&1
}
if command -v dnf >/dev/null; then
	o=$(dnf_all "$demo")
	if grep -q 'Operation aborted' <<<"$o" && ! grep -qi -e '^Error' -e 'Problem' <<<"$o"; then
		t_ok "dnf resolves installing every demo target package (the repos are closed)"
	else
		t_fail "dnf resolves installing every demo target package" "$(tail -15 <<<"$o")"
	fi
	o=$(dnf_all "$unsat")
	if grep -q 'nothing provides libgone.so.1()(64bit) needed by legacy-utils' <<<"$o"; then
		t_ok "dnf cannot resolve inhibit-unsatdep's legacy-utils (libgone.so.1)"
	else
		t_fail "dnf cannot resolve inhibit-unsatdep's legacy-utils" "$(tail -15 <<<"$o")"
	fi
else
	t_fail "dnf is installed (scripts/install-deps.sh)"
fi

# modules.yaml: valid modulemd, artifacts are exactly the labelled packages of the repo
t_check "modules.yaml is in repomd.xml and libmodulemd reads it" "$SR_PY" -c '
import sys, os, gzip, glob
import xml.etree.ElementTree as ET
import gi
gi.require_version("Modulemd", "2.0")
from gi.repository import Modulemd
d = sys.argv[1] + "/repos/almalinux9-appstream"
ns = {"r": "http://linux.duke.edu/metadata/repo"}
md = ET.parse(d + "/repodata/repomd.xml").getroot()
e = [x for x in md.findall("r:data", ns) if x.get("type") == "modules"][0]
text = gzip.open(os.path.join(d, e.find("r:location", ns).get("href"))).read().decode()
idx = Modulemd.ModuleIndex.new()
ok, failures = idx.update_from_string(text, True)
assert ok and not failures, [f.get_gerror().message for f in failures]
s = idx.get_module("nodejs").get_stream_by_NSVCA("18", 9040020240508051116, "rhel9", "x86_64")
arts = sorted(s.get_rpm_artifacts())
assert arts == ["nodejs-1:18.20.2-1.module_el9.4.0+102+9fd8ce0a.x86_64",
                "npm-1:10.5.0-1.18.20.2.1.module_el9.4.0+102+9fd8ce0a.x86_64"], arts
' "$mods"
t_eq "the modular packages carry their ModularityLabel" \
	"nodejs:18:9040020240508051116:rhel9" \
	"$(rpm -qp --qf '%{modularitylabel}' "$mods"/repos/almalinux9-appstream/Packages/nodejs-18*.rpm 2>/dev/null)"
t_eq "the non-modular el9 nodejs has none" "(none)" \
	"$(rpm -qp --qf '%{modularitylabel}' "$mods"/repos/almalinux9-appstream/Packages/nodejs-16*.rpm 2>/dev/null)"
t_eq "the tree enables nodejs:16 in /etc/dnf/modules.d" "stream=16 state=enabled" \
	"$(grep -e '^stream=' -e '^state=' "$mods/root/etc/dnf/modules.d/nodejs.module" | tr '\n' ' ' | sed 's/ $//')"
t_eq "installed nodejs carries the nodejs:16 label" "nodejs:16:8090020231019152822:a75119d5" \
	"$(sr_rpm "$mods/root" -q --qf '%{modularitylabel}' nodejs)"

t_done

#!/bin/bash
# san: skip (scripts/mksysroot is Python; the sanitizer build changes nothing it runs)
# Two builds of one spec, the second with an empty cache, give the same packages, repos
# and tree. Compared: every file of OUTDIR byte for byte (type, mode, owner, mtime,
# content, link target), except the rpmdb's sqlite files, whose install times rpm does not
# let us pin; for the rpmdb, its content as rpm -qa shows it (NEVRA, header digest,
# signature) is compared instead.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/sysroot-lib.sh"

sr_tmpdir
a=$tmp/sys
if ! sr_build minimal "$a"; then
	t_fail "first build" "$(tail -20 "$a.log")"; t_done; exit 1
fi
mv "$a" "$tmp/first"
# same OUTDIR path (it is written into the repo file and the manifest), fresh cache
if ! MKSYSROOT_CACHE=$tmp/cache2 sr_build minimal "$a"; then
	t_fail "second build, empty cache" "$(tail -20 "$a.log")"; t_done; exit 1
fi
t_ok "two builds of minimal, the second with an empty cache"
t_check "the second build really built every package (nothing came from a cache)" \
	bash -c "[ \$(find '$tmp/cache2/rpms' -name '*.rpm' | wc -l) -eq $(sr_json "$a/manifest.json" 'len(d["installed"]) + sum(len(r["packages"]) for r in d["repos"].values())') ]"

sum() { "$T_TOP/scripts/sysroot/treesum" --exclude root/var/lib/rpm "$1"; }
d=$(diff <(sum "$tmp/first") <(sum "$a"))
t_eq "OUTDIR is identical (packages, repodata, tree, keys, manifest; rpmdb files aside)" "" "$d"
q='%{nevra} %{sha256header} %{rsaheader:pgpsig} %{filemd5s}\n'
t_eq "the rpmdbs hold the same headers" "$(sr_rpm "$tmp/first/root" -qa --qf "$q" | sort)" \
	"$(sr_rpm "$a/root" -qa --qf "$q" | sort)"
t_check "and the same installed files" diff <(sr_rpm "$tmp/first/root" -qa --dump | sort) <(sr_rpm "$a/root" -qa --dump | sort)

t_done

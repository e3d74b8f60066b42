#!/bin/bash
# san: skip (scripts/mksysroot is Python; the sanitizer build changes nothing it runs)
# Bad input: YAML syntax errors and unknown keys give file:line, a missing tool names its
# Debian package, and a failed build leaves no OUTDIR (or the previous one untouched).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/sysroot-lib.sh"

sr_tmpdir
cd "$tmp" || exit 1

# expect_err NAME EXPECTED-SUBSTRING ARGS...: mksysroot fails (exit 1) with that message
expect_err() {
	local name=$1 want=$2 out rc; shift 2
	out=$("$SR_MK" "$@" 2>&1); rc=$?
	if [ $rc -eq 1 ] && grep -qF -- "$want" <<<"$out"; then
		t_ok "$name"
	else
		t_fail "$name" "exit $rc, wanted: $want" "got: $out"
	fi
}

printf 'distro:\n  id: almalinux\npackages: [\n  {name: a, version: "1"\n' >syntax.yaml
expect_err "a YAML syntax error gives file:line" "syntax.yaml:5: YAML syntax error" --check syntax.yaml

printf 'include: minimal\nhardware:\n  memory_mib: 2048\nbogus: 1\n' >topkey.yaml
expect_err "an unknown top-level key gives file:line: unknown key" "topkey.yaml:4: unknown key 'bogus'" --check topkey.yaml

cat >pkgkey.yaml <<'EOF'
include: minimal
packages:
  - name: foo
    version: "1.0"
    repo: baseos
    requries: [bar]
EOF
expect_err "an unknown key in a package gives its own line" "pkgkey.yaml:6: unknown key 'requries'" --check pkgkey.yaml

cat >fileent.yaml <<'EOF'
include: minimal
packages:
  - name: foo
    version: "1.0"
    files:
      - path: /etc/foo
        conifg: noreplace
EOF
expect_err "an unknown key in a file entry gives its own line" "fileent.yaml:7: unknown key 'conifg'" --check fileent.yaml

printf 'bogus_in_parent: yes\n' >parent.yaml
printf 'include: parent.yaml\n' >child.yaml
expect_err "an unknown key in an included spec names the included file" "parent.yaml:1: unknown key 'bogus_in_parent'" --check child.yaml

printf 'include: minimal\nhardware:\n  memory_mib: lots\n' >type.yaml
expect_err "a wrong type gives file:line" "type.yaml:3: expected an integer" --check type.yaml

cat >repo.yaml <<'EOF'
include: minimal
packages:
  - name: foo
    version: "1.0"
    repo: nosuchrepo
EOF
expect_err "an unknown repo gives file:line" "repo.yaml:5: package 'foo': unknown source repo 'nosuchrepo'" --check repo.yaml

cat >unsat.yaml <<'EOF'
include: minimal
packages:
  - name: foo
    version: "1.0"
    repo: baseos
    requires: [libnothere.so.1]
EOF
expect_err "an installed set that is not closed under Requires is refused" "requires 'libnothere.so.1', which no installed package provides" --check unsat.yaml

printf 'include: minimal\npes:\n  - {id: 9, action: renamed, in: [bash@baseos], out: [zsh@almalinux9-baseos]}\n' >pes.yaml
expect_err "a PES event naming a package no target repo has is refused" "pes.yaml:3: PES event 9: 'zsh' is in no target repo" --check pes.yaml

expect_err "an unknown spec name" "spec 'no-such-spec' not found" no-such-spec "$tmp/x"

# missing tools: each is named with the Debian package that provides it
mkdir bin
for t in rpm rpmbuild rpmsign gpg gpgconf createrepo_c modifyrepo_c busybox; do
	ln -s "$(command -v $t)" bin/$t
done
for t in rpmbuild:rpm createrepo_c:createrepo-c gpg:gnupg busybox:busybox-static; do
	mv "bin/${t%%:*}" "bin/${t%%:*}.off"
	MKSYSROOT_TOOL_PATH=$tmp/bin expect_err "missing ${t%%:*} names the Debian package ${t#*:}" \
		"'${t%%:*}' not found: install the Debian package '${t#*:}'" minimal "$tmp/notbuilt"
	mv "bin/${t%%:*}.off" "bin/${t%%:*}"
done
mv bin/modifyrepo_c bin/modifyrepo_c.off
MKSYSROOT_TOOL_PATH=$tmp/bin expect_err "missing modifyrepo_c (a spec with modules) names createrepo-c" \
	"'modifyrepo_c' not found: install the Debian package 'createrepo-c'" modules "$tmp/notbuilt"
mv bin/modifyrepo_c.off bin/modifyrepo_c
t_check "no OUTDIR was created by the failed runs" test ! -e "$tmp/notbuilt"

# a build that fails late (a scriptlet fails inside rpm -i) leaves nothing behind, and an
# existing OUTDIR is kept as it was
cat >failing.yaml <<'EOF'
include: minimal
packages:
  - name: breaks-on-install
    version: "1.0"
    repo: baseos
    requires: [bash]
    files: [/usr/share/breaks/README]
    scripts:
      post: |
        echo "this %post fails" >&2
        exit 3
EOF
if sr_build minimal "$tmp/existing"; then
	before=$(cat "$tmp/existing/manifest.json")
	expect_err "a failing scriptlet fails the build" "scriptlet failed" failing.yaml "$tmp/existing"
	t_eq "the previous OUTDIR is untouched" "$before" "$(cat "$tmp/existing/manifest.json")"
	t_eq "no staging directory is left beside it" "" "$(ls -A "$tmp" | grep -e '^\.existing\.' || true)"
else
	t_fail "building minimal for the failure test" "$(tail "$tmp/existing.log")"
fi
expect_err "a failing build into a new OUTDIR" "scriptlet failed" failing.yaml "$tmp/new"
t_check "leaves no OUTDIR" test ! -e "$tmp/new"

mkdir -p "$tmp/notours" && touch "$tmp/notours/precious"
expect_err "a non-empty OUTDIR that is not a mksysroot output is not replaced" "not a mksysroot output" minimal "$tmp/notours"
t_check "and its content is intact" test -f "$tmp/notours/precious"

t_done

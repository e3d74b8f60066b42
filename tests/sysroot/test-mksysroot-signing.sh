#!/bin/bash
# san: skip (scripts/mksysroot is Python; the sanitizer build changes nothing it runs)
# mksysroot signs packages in-process (scripts/sysroot/mksr/sign.py) instead of running
# rpmsign + gpg once per package. This checks that it makes the very same files as
# rpmsign does, for both keys and for SHA-256 and SHA-1 digests, and that rpm accepts them.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/sysroot-lib.sh"

sr_tmpdir
out=$tmp/minimal
if ! sr_build minimal "$out"; then
	t_fail "mksysroot minimal builds" "$(tail -20 "$out.log")"; t_done; exit 1
fi
export GNUPGHOME=$tmp/gnupg
mkdir -m 700 "$GNUPGHOME"
T_CLEANUP_HOOK="gpgconf --kill all 2>/dev/null"
gpg --batch --quiet --import "$T_TOP"/scripts/sysroot/keys/{vendor,other}.sec.asc 2>/dev/null

n=0
for pkg in bash-5 kernel-core-6 setup-2; do
	src=$(ls "$out"/repos/*/Packages/$pkg*.rpm | head -1)
	for ks in vendor:sha256 other:sha1 other:sha256; do
		key=${ks%%:*} dg=${ks#*:}
		a=$tmp/$n.rpmsign.rpm b=$tmp/$n.py.rpm
		cp "$src" "$a"
		rpmsign --delsign "$a" >/dev/null 2>&1
		cp "$a" "$b"
		rpmsign --define "__gpg /usr/bin/gpg" --define "_gpg_name $key@mksysroot.invalid" \
			--define "_gpg_digest_algo $dg" \
			--define "_gpg_sign_cmd_extra_args --batch --no-tty --pinentry-mode loopback --faked-system-time 20240101T000000!" \
			--addsign "$a" >/dev/null 2>&1
		(cd "$T_TOP/scripts/sysroot" && "$SR_PY" -B -c 'import sys; from mksr import sign; sign.sign_rpm(sys.argv[1], sign.Signer(sys.argv[2]), sys.argv[3], 1704067200)' "$b" "$key" "$dg")
		t_check "$(basename "$src") signed by sign.py ($key, $dg) is identical to rpmsign's" cmp "$a" "$b"
		n=$((n + 1))
	done
done
kid=$(sr_json "$out/manifest.json" 'd["keys"]["other"]["keyid"]')
sr_rebuilddb "$out/root"   # bdb_ro cannot import a key
t_check "rpm -K accepts sign.py's signatures (other key, SHA-1) with the key imported" bash -c "
	rpm --root '$out/root' --dbpath /var/lib/rpm --import '$out/keys/other.asc' 2>/dev/null
	rpm --root '$out/root' --dbpath /var/lib/rpm -Kv '$tmp/1.py.rpm' 2>/dev/null | grep -q 'V4 RSA/SHA1 Signature, key ID ${kid: -8}: OK'"

t_done

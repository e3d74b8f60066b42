#!/bin/bash
# The target userspace on the demo system: a package a TargetUserSpaceTasks asks for that the
# target repositories lack inhibits preupgrade (naming it and who asked) and fails
# target_userspace_creator; a failing %post is recorded and the package installed, a failing
# %pre fails the creator with the package named (and nothing is left half-made); noscripts
# skips them; making it twice is safe.
. "$(dirname "$0")/../lib.sh"
. "$T_TOP/tests/download/lib-download.sh"

d_init
d_sysroot demo demo || { t_fail "mksysroot demo"; t_done; exit 1; }
OUT=$D_DIR/demo
R=$(d_root demo)
US=$R/var/lib/leapp/el9userspace
out() { jq -r "$1" "$D_DIR/demo.actor.json"; }
err_text() { jq -r '[.errors[]? | "\(.title) \(.summary)"] | join(" ")' "$D_DIR/demo.actor.json"; }

# --- a package nobody has
export LEAPP_TEST_USERSPACE_PACKAGES="kernel-core no-such-package"
d_leapp demo preupgrade
t_eq "a missing userspace package inhibits preupgrade" "3 ${K_TARGET_USERSPACE_PACKAGES_MISSING}" "$D_RC $(d_inhibitors demo)"
s=$(d_entry demo ${K_TARGET_USERSPACE_PACKAGES_MISSING} .summary)
t_check "the inhibitor names the package" grep -q "package no-such-package is not available in the target repositories" <<<"$s"
t_check "and who asked for it" grep -q "requested by test_userspace_tasks: the download tests ask for it" <<<"$s"
d_actor demo target_userspace_creator --from-last-run
t_eq "target_userspace_creator fails on it too" 1 "$D_RC"
t_check "its error names the package" grep -q "no-such-package is not available" <<<"$(err_text)"
t_check "no userspace was made" test ! -e "$US" -a ! -e "$US.new"

# --- packages with failing scriptlets, in an extra target repository signed with the vendor key
export GNUPGHOME=$D_DIR/gnupg
mkdir -m 0700 "$GNUPGHOME"
gpg --batch --quiet --import "$T_TOP/scripts/sysroot/keys/vendor.sec.asc" 2>/dev/null
VENDOR=$(jq -r '.keys.vendor.fingerprint' "$OUT/manifest.json")
mkdir -p "$D_DIR/rpmbuild/SPECS" "$D_DIR/extra"
for p in post-fails pre-fails; do
	script=$([ $p = post-fails ] && echo post || echo pre)
	cat >"$D_DIR/rpmbuild/SPECS/$p.spec" <<SPEC
Name: $p
Version: 1
Release: 1.el9
Summary: a package whose %$script fails (leapp test)
License: MIT
BuildArch: noarch
%description
test
%$script
echo "$p: %$script fails on purpose" >&2
exit 3
%files
SPEC
	rpmbuild --quiet --define "_topdir $D_DIR/rpmbuild" -bb "$D_DIR/rpmbuild/SPECS/$p.spec" >/dev/null 2>&1
done
cp "$D_DIR"/rpmbuild/RPMS/noarch/*.rpm "$D_DIR/extra/"
rpmsign --define "__gpg /usr/bin/gpg" --define "_gpg_path $GNUPGHOME" --define "_gpg_name $VENDOR" \
	--addsign "$D_DIR"/extra/*.rpm >/dev/null 2>&1
createrepo_c --quiet --no-database "$D_DIR/extra" >/dev/null
t_check "the test packages are built and signed" test "$(rpm -qp --qf '%{RSAHEADER:pgpsig}\n' "$D_DIR"/extra/*.rpm 2>/dev/null | grep -c 'Key ID')" -eq 2
cat >>"$R/etc/leapp/files/leapp_upgrade_repositories.repo" <<REPO

[test-extra]
name=extra packages of the userspace test
baseurl=file://$D_DIR/extra
enabled=1
gpgcheck=1
gpgkey=file://$OUT/keys/vendor.asc
REPO

export LEAPP_TEST_USERSPACE_PACKAGES="kernel-core post-fails"
d_leapp demo upgrade
t_eq "a failing %post: the upgrade goes on" 0 "$D_RC" || d_show demo
d_probe demo
t_eq "the failure is recorded" "post-fails-1-1.el9.noarch: %post scriptlet failed" \
	"$(d_msgr demo TargetUserSpaceInfo '.scriptlet_failures | join(";")')"
t_check "the package is installed" rpm --root "$US" --dbpath /var/lib/rpm -q post-fails
t_eq "the userspace's rpmdb is in the target's format (sqlite), nothing of a rebuild left" "sqlite 1 0" \
	"$(d_msgr demo TargetUserSpaceInfo .rpmdb_format) $(ls "$US/var/lib/rpm" | grep -c '^rpmdb.sqlite$') $(ls "$US/var/lib" | grep -c rebuilddb)"
t_check "its output is in the scriptlet log" grep -q "post-fails: %post fails on purpose" "$R/var/log/leapp/target-userspace/el9userspace-rpm.log"
t_check "the warning is logged" grep -q "post-fails-1-1.el9.noarch: %post scriptlet failed (the package is installed" \
	"$R/var/log/leapp/leapp-upgrade.log"
first_ino=$(stat -c %i "$US")

# --- made again from the same messages: safe, and replaced whole
d_actor demo target_userspace_creator --from-last-run
t_eq "making it again succeeds" 0 "$D_RC"
t_check "it is a new directory" test "$(stat -c %i "$US")" != "$first_ino"
t_check "nothing is left beside it" test ! -e "$US.new" -a ! -e "$US.old"
t_check "its rpmdb is complete" rpm --root "$US" --dbpath /var/lib/rpm -q kernel-core post-fails bash

# --- a failing %pre: the package is not installed, the creator fails naming it
export LEAPP_TEST_USERSPACE_PACKAGES="kernel-core pre-fails"
d_leapp demo upgrade
t_eq "a failing %pre fails the upgrade" 1 "$D_RC"
e=$(jq -r '[.entries[] | select(.groups | index("error")) | "\(.title) \(.summary)"] | join(" ")' "$(d_report demo)")
t_check "the error names the package and its %pre" grep -q "pre-fails-1-1.el9.noarch: %pre scriptlet failed" <<<"$e"
t_check "the last complete userspace is kept, nothing half-made" test -d "$US" -a ! -e "$US.new"
t_check "(it is the previous one)" bash -c "! rpm --root '$US' --dbpath /var/lib/rpm -q pre-fails >/dev/null 2>&1"

# --- noscripts: no scriptlet runs
mkdir -p "$R/etc/leapp/actor_conf.d"
printf 'target_userspace:\n  noscripts: true\n' >"$R/etc/leapp/actor_conf.d/userspace.yaml"
d_leapp demo upgrade
t_eq "noscripts: the %pre does not run, the upgrade goes on" 0 "$D_RC" || d_show demo
t_check "pre-fails is installed" rpm --root "$US" --dbpath /var/lib/rpm -q pre-fails
t_check "rpm's %post did not run either" test ! -e "$US/var/lib/rpm-state/mksysroot-post-ran"
t_done

#!/bin/bash
# packaging/leapp.spec: rpmbuild turns the `make dist` tarball into leapp and leapp-devel, whose
# file lists hold the installed layout (Debian's rpmbuild: the el macros it lacks are defined
# here). make check-packaging runs it; a whole build takes minutes, so make check does not.
. "$(dirname "$0")/../lib.sh"
D=$(mktemp -d "${TMPDIR:-/tmp}/leapp-rpm.XXXXXX")
T_TMPDIRS="${T_TMPDIRS:-} $D"
trap 't_cleanup' EXIT
mkdir -p "$D"/{SOURCES,SPECS,BUILD,RPMS,SRPMS,BUILDROOT}
tarball=$(make -C "$T_TOP" -s dist BUILD="$D/dist" | tail -1)
t_check "make dist makes the tarball" test -s "$tarball"
t_check "the tarball holds the spec and the sources under leapp-VERSION/" bash -c "tar tzf '$tarball' | grep -qx 'leapp-0.1/packaging/leapp.spec'"
cp "$tarball" "$D/SOURCES/"
rpmbuild -bb --nodeps --define "_topdir $D" --define "dist .el9" --define "_libdir /usr/lib64" \
	--define "_sharedstatedir /var/lib" --define "_smp_mflags -j2" \
	"$T_TOP/packaging/leapp.spec" >"$D/rpmbuild.log" 2>&1
rc=$?
t_eq "rpmbuild -bb packaging/leapp.spec: exit 0" 0 "$rc"
[ "$rc" = 0 ] || tail -20 "$D/rpmbuild.log" | sed 's/^/# /'
main=$(ls "$D"/RPMS/*/leapp-0.1-1.el9.*.rpm 2>/dev/null | head -1)
devel=$(ls "$D"/RPMS/*/leapp-devel-0.1-1.el9.*.rpm 2>/dev/null | head -1)
t_check "the leapp RPM" test -s "$main"
t_check "the leapp-devel RPM" test -s "$devel"
files=$(rpm -qlp "$main" 2>/dev/null)
for p in /usr/bin/leapp /usr/bin/leapp-fleet /usr/libexec/leapp/actors/check_memory/check_memory \
	/usr/libexec/leapp/leapp-msg /usr/share/leapp/phases/inplace-upgrade.yaml /usr/share/leapp/models \
	/usr/lib/dracut/modules.d/90sys-upgrade/module-setup.sh /usr/share/man/man8/leapp.8 \
	/usr/share/man/man8/leapp-fleet.8 /usr/share/bash-completion/completions/leapp /etc/leapp/files /var/lib/leapp; do
	# man pages are compressed where the distribution's rpm does it (brp-compress), not on Debian
	t_check "leapp holds $p" grep -qxE -- "$p(\.gz)?" <<<"$files"
done
dfiles=$(rpm -qlp "$devel" 2>/dev/null)
for p in /usr/include/leapp/actor.h /usr/lib64/libleappmsg.a /usr/lib64/pkgconfig/leapp-libmsg.pc; do
	t_check "leapp-devel holds $p" grep -qx -- "$p" <<<"$dfiles"
done
t_check "leapp-devel requires leapp" bash -c "rpm -qpR '$devel' 2>/dev/null | grep -q '^leapp = 0.1-1.el9'"
t_done

#!/bin/bash
# san: skip (scripts/mksysroot is Python; the sanitizer build changes nothing it runs)
# An el8 spec's tree keeps a BerkeleyDB rpmdb (Packages, a hash database, and rpm 4.14's
# btree indexes), as a real el8 does; `rpmdb: sqlite` keeps sqlite. Debian's rpm reads the
# BerkeleyDB one through bdb_ro (as el9's rpm does) and must answer every query as it does
# from the sqlite tree of the same spec: the indexes are right, not only Packages.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/sysroot-lib.sh"

sr_tmpdir
printf 'include: demo\nname: demo-sqlite\nrpmdb: sqlite\n' >"$tmp/demo-sqlite.yaml"
if ! sr_build demo "$tmp/b" || ! sr_build "$tmp/demo-sqlite.yaml" "$tmp/s"; then
	t_fail "demo builds with both rpmdb formats" "$(tail -20 "$tmp"/*.log)"; t_done; exit 1
fi
B=$tmp/b/root S=$tmp/s/root D=var/lib/rpm

t_eq "manifest.json says which format" "bdb sqlite" \
	"$(sr_json "$tmp/b/manifest.json" 'd["rpmdb"]') $(sr_json "$tmp/s/manifest.json" 'd["rpmdb"]')"
t_check "the sqlite tree has rpmdb.sqlite and no Packages" test -f "$S/$D/rpmdb.sqlite" -a ! -e "$S/$D/Packages"
t_check "the el8 tree has no rpmdb.sqlite" test ! -e "$B/$D/rpmdb.sqlite" -a ! -e "$B/$D/rpmdb.sqlite-wal"
t_eq "Packages is a BerkeleyDB hash database" "Berkeley DB (Hash, version 9, native byte-order)" \
	"$(file -b "$B/$D/Packages")"
missing=""
for i in Name Basenames Group Requirename Providename Conflictname Obsoletename Triggername Dirnames \
	Installtid Sigmd5 Sha1header Filetriggername Transfiletriggername Recommendname Suggestname \
	Supplementname Enhancename; do
	case $(file -b "$B/$D/$i" 2>/dev/null) in "Berkeley DB (Btree, version 9, native byte-order)") ;; *) missing="$missing $i" ;; esac
done
t_eq "every rpm 4.14 index is a BerkeleyDB btree" "" "$missing"

# the same query on both trees; bdb_ro is named, so rpm must not even warn
same() {
	local what=$1; shift
	local a b
	a=$(sr_rpm "$B" "$@" 2>&1 | sort) b=$(sr_rpm "$S" "$@" 2>&1 | sort)
	if [ -n "$a" ] && [ "$a" = "$b" ]; then t_ok "$what"; else t_fail "$what" "bdb: $a"$'\n'"sqlite: $b"; fi
}
same "rpm -qa (with header digests, signatures, install times)" \
	-qa --qf '%{nevra} %{sha1header} %{sigmd5} %{rsaheader:pgpsig} %{installtime} %{installtid}\n'
same "rpm -q NAME (Name index)" -q glibc openssh-server ntp gpg-pubkey
same "rpm -q of an absent package" -q no-such-package
same "rpm -qf FILE (Basenames and Dirnames)" -qf /usr/bin/bash /etc/os-release /etc/demo-app/demo-app.conf /usr/lib64
same "rpm --whatprovides (Providename)" -q --whatprovides 'libc.so.6()(64bit)' 'libssl.so.1.1()(64bit)' ntp
same "rpm --whatprovides FILE" -q --whatprovides /usr/bin/sh
same "rpm --whatrequires (Requirename)" -q --whatrequires 'libc.so.6()(64bit)'
same "rpm --whatobsoletes / --whatconflicts" -q --whatobsoletes libmemcached
same "rpm -q --querybynumber 1 (Packages by header number)" -q --querybynumber 1
same "rpm -q --qf from an index keyed by binary values (Installtid)" -q --tid \
	"$(sr_rpm "$S" -q --qf '%{installtid}' glibc)"
same "rpm -qa --dump" -qa --dump
same "rpm -Va" -Va
t_done

#!/bin/bash
# remove_leftover_packages, standalone on a synthetic el8 system's real rpmdb: of the leftovers,
# a package nothing needs is removed (RemovedPackages, upstream's "have been removed" entry and
# key); one that a package staying installed requires (openssh, for openssh-server) stays, named
# with the reason; a third-party one stays; the old kernels (installonly) are never candidates.
# A second run finds nothing to remove.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
sysroot minimal || { t_fail "mksysroot minimal"; t_done; exit 1; }
R=$SR/root
# after the upgrade's rpmdb rebuild the database is sqlite, which librpm writes
t_rpmdb_writable "$R" || { t_fail "rpm --rebuilddb"; t_done; exit 1; }
q() { rpm --root "$R" --dbpath /var/lib/rpm -q "$1" >/dev/null 2>&1; }
pkg() {
	local n e v r a
	read -r n e v r a < <(rpm --root "$R" --dbpath /var/lib/rpm -q --qf '%{NAME} %{EPOCHNUM} %{VERSION} %{RELEASE} %{ARCH}\n' "$1")
	printf '{"name":"%s","epoch":%s,"version":"%s","release":"%s","arch":"%s"}' "$n" "$e" "$v" "$r" "$a"
}
LEFT="{\"items\":[$(pkg kexec-tools),$(pkg openssh),$(pkg xfsprogs)],\"installonly\":[$(pkg kernel-core)]}"
mk_input "$F_DIR/in.json" "$(ipu 8.10 9.6)" LeftoverPackages "$LEFT" ThirdPartyRPM "{\"items\":[$(pkg xfsprogs)]}"
run_actor remove_leftover_packages "$R" "$F_DIR/in.json"
t_eq "runs" 0 "$A_RC" "$A_ERR"
t_eq "removed: the one nothing needs" '["kexec-tools"]' "$(msg RemovedPackages '[.items[].name]')"
t_check "kexec-tools is gone from the rpmdb" bash -c "! rpm --root '$R' --dbpath /var/lib/rpm -q kexec-tools >/dev/null 2>&1"
t_check "openssh stays (openssh-server needs it)" q openssh
t_check "xfsprogs stays (third-party)" q xfsprogs
t_check "the old kernel stays" q kernel-core
t_eq "upstream's removed entry, with its key" "high 5afbad560709afa4e40a160e40dfd44788ba9c3b" \
	"$(report 5afbad560709afa4e40a160e40dfd44788ba9c3b '"\(.severity) \(.key)"')"
K=$(report d424c3132ed78a8632b5c73d919909e453107c06 .summary)
t_check "the kept ones are named: openssh, with what needs it" grep -q "openssh-8.0p1-24.el8.x86_64 (openssh-server-8.0p1-24.el8.x86_64 requires" <<<"$K"
t_check "the kept ones are named: xfsprogs, third-party" grep -q "xfsprogs-.*not signed by the distribution" <<<"$K"
t_check "the old kernel is not in the report" bash -c "! grep -q kernel-core <<<'$K'"
run_actor remove_leftover_packages "$R" "$F_DIR/in.json"
t_eq "second run: nothing removed" '[]' "$(msg RemovedPackages '[.items[].name]')"
mk_input "$F_DIR/none.json" "$(ipu 8.10 9.6)" LeftoverPackages '{"items":[],"installonly":[]}'
run_actor remove_leftover_packages "$R" "$F_DIR/none.json"
t_eq "no leftovers: no report" "0" "$(printf '%s' "$A_OUT" | jq '.reports | length')"
t_done

#!/bin/bash
# rpmdb_rebuild: an el8 tree's BerkeleyDB rpmdb becomes sqlite (the target's format) holding the
# same headers; a kill at each stage of the rebuild leaves a tree whose next run finishes it,
# the old database whole until the new one is verified; a failed rebuild changes nothing.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"

sysroot demo || { t_fail "mksysroot demo"; t_done; exit 1; }
DEMO=$SR
f_tmpdir
W=$F_DIR
D=var/lib/rpm

# qa ROOT: every header, by its digests, through whichever backend holds it
qa() {
	local be=sqlite
	[ -e "$1/$D/Packages" ] && be=bdb_ro
	rpm --root "$1" --dbpath /$D --define "_db_backend $be" -qa --qf '%{nevra} %{sha1header} %{sigmd5} %{installtime}\n' | sort
}
# state ROOT: the formats and leftovers in var/lib
state() {
	local s="" f
	for f in rpmdb.sqlite Packages; do [ -e "$1/$D/$f" ] && s="$s $f"; done
	for f in rpmrebuilddb.leapp rpmrebuilddb.leapp.verified rpmold.leapp; do [ -e "$1/var/lib/$f" ] && s="$s $f"; done
	echo "${s# }"
}
WANT=$(qa "$DEMO/root")
N=$(wc -l <<<"$WANT")

cp -a "$DEMO/root" "$W/a"
run_actor rpmdb_rebuild "$W/a"
t_eq "runs" 0 "$A_RC"
t_eq "the rpmdb is sqlite now, nothing left beside it" "rpmdb.sqlite" "$(state "$W/a")"
t_eq "the same $N headers (digests, install times)" "$WANT" "$(qa "$W/a")"
t_check "the log says what was rebuilt, and its time" grep -qE \
	"rebuilt the RPM database from bdb to sqlite: $N packages in [0-9.]+ s \(librpm's rebuild [0-9.]+ s; verified" <<<"$A_OUT$A_ERR"
t_eq "no warning from librpm reaches stderr" "" "$(grep -v ': info: ' <<<"$A_ERR")"
t_eq "the directory keeps its mode" "$(stat -c %a "$DEMO/root/$D")" "$(stat -c %a "$W/a/$D")"
cp -a "$W/a" "$W/a-written"
t_check "rpm can write it now (rpm -e --justdb)" rpm --root "$W/a-written" --dbpath /$D -e --justdb --nodeps --noscripts tzdata
run_actor rpmdb_rebuild "$W/a"
t_eq "again: runs" 0 "$A_RC"
t_check "again: nothing to do" grep -q "in the target release's format (sqlite) already" <<<"$A_OUT"

# killed at each stage (the hold hook of rpmrebuild_run, rpm.h), then run again
export LEAPP_DEVEL_REBUILD_HOLD=1
killed_at() {
	local name=$1 stage=$2 root=$W/$1 i pid
	cp -a "$DEMO/root" "$root"
	touch "$root/var/tmp/rpmdb-rebuild.hold-$stage"
	# a killed actor cannot remove its scratch directory: give it one the test removes
	mkdir -p "$W/tmp-$name"
	TMPDIR=$W/tmp-$name "$F_ACTORS/rpmdb_rebuild/rpmdb_rebuild" --root "$root" --input "$W/in.json" >/dev/null 2>&1 &
	pid=$!
	for i in $(seq 400); do [ -e "$root/var/tmp/rpmdb-rebuild.at-$stage" ] && break; sleep 0.05; done
	kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
	rm -f "$root/var/tmp/rpmdb-rebuild.hold-$stage"
}
echo '{}' >"$W/in.json"
declare -A AFTER=(
	[start]="Packages"
	[rebuilt]="Packages rpmrebuilddb.leapp"
	[verified]="Packages rpmrebuilddb.leapp rpmrebuilddb.leapp.verified"
	[swapped]="rpmdb.sqlite rpmrebuilddb.leapp rpmrebuilddb.leapp.verified")
for stage in start rebuilt verified swapped; do
	killed_at "k-$stage" "$stage"
	t_eq "killed at $stage: the tree is as expected" "${AFTER[$stage]}" "$(state "$W/k-$stage")"
	t_eq "killed at $stage: rpm reads every header" "$WANT" "$(qa "$W/k-$stage")"
	run_actor rpmdb_rebuild "$W/k-$stage"
	t_eq "killed at $stage: the next run finishes (exit 0)" 0 "$A_RC"
	t_eq "killed at $stage: sqlite, nothing left beside it" "rpmdb.sqlite" "$(state "$W/k-$stage")"
	t_eq "killed at $stage: the same headers" "$WANT" "$(qa "$W/k-$stage")"
done
t_check "a verified rebuild is finished, not redone" grep -q "finished an interrupted rebuild" <<<"$A_OUT"
unset LEAPP_DEVEL_REBUILD_HOLD

# the swap without renameat2's exchange (killed between its two renames): the new one goes in
cp -a "$DEMO/root" "$W/f2"
mv "$W/f2/$D" "$W/f2/var/lib/rpmold.leapp"
mkdir "$W/f2/var/lib/rpmrebuilddb.leapp"
cp -a "$W/a/$D/." "$W/f2/var/lib/rpmrebuilddb.leapp/"
echo "bdb sqlite $N" >"$W/f2/var/lib/rpmrebuilddb.leapp.verified"
run_actor rpmdb_rebuild "$W/f2"
t_eq "killed between the fallback's renames: finished" "0 rpmdb.sqlite" "$A_RC $(state "$W/f2")"
t_eq "killed between the fallback's renames: the same headers" "$WANT" "$(qa "$W/f2")"

# a rebuild that fails leaves the old database as it was
cp -a "$DEMO/root" "$W/bad"
yes "not a database" | head -c 16384 >"$W/bad/$D/Packages"
before=$(tree_hash "$W/bad")
run_actor rpmdb_rebuild "$W/bad"
t_eq "a broken Packages: exit 1" 1 "$A_RC"
t_check "a broken Packages: the error names the database" grep -q "var/lib/rpm" <<<"$A_OUT$A_ERR"
t_eq "a broken Packages: the tree is as it was, nothing left beside it" "$before" "$(tree_hash "$W/bad")"
t_done

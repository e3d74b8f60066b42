#!/bin/bash
# The real data files load without error: the full RHEL repomap.json (1.2.1) for each of its
# upgrade paths, the AlmaLinux repomaps (1.2.0) for el8 and el9, and the vendors' PES and map
# files (MariaDB, PostgreSQL) in vendors.d, in a whole preupgrade of the demo system.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-plan.sh"

p_init
D=$T_TOP/tests/plan/data
A=$P_ACTORS_SRC

# mapping FILE SRC DST ARCH: run repositories_mapping alone on a root holding FILE as repomap.json
mapping() {
	local root=$P_DIR/maproot
	rm -rf "$root"
	mkdir -p "$root/etc/leapp/files"
	cp "$1" "$root/etc/leapp/files/repomap.json"
	printf '{"workflow": {"source_distro": "rhel", "source_version": "%s.10", "source_major": %s, "target_distro": "rhel", "target_version": "%s.0", "target_major": %s, "architecture": "%s"}}\n' \
		"$2" "$2" "$3" "$3" "$4" >"$P_DIR/in.json"
	OUT=$("$A/repositories_mapping/repositories_mapping" --root "$root" --input "$P_DIR/in.json" 2>"$P_DIR/err")
	RC=$?
}

# expected FILE SRC DST ARCH: "entries repositories" counted by an independent reading
expected() {
	/usr/bin/python3 - "$@" <<'PY'
import json, sys
f, s, d, a = sys.argv[1:]
j = json.load(open(f))
m = sum(len(x["entries"]) for x in j["mapping"] if x["source_major_version"] == s and x["target_major_version"] == d)
r = sum(1 for p in j["repositories"] for e in p["entries"] if e["major_version"] in (s, d) and e["arch"] == a)
print(m, r)
PY
}

for case in "$T_TOP/files/repomap.json 7 8 x86_64" "$T_TOP/files/repomap.json 8 9 x86_64" \
	"$T_TOP/files/repomap.json 9 10 x86_64" "$T_TOP/files/repomap.json 8 9 s390x" \
	"$D/almalinux-repomap.json.el8 8 9 x86_64" "$D/almalinux-repomap.json.el9 9 10 x86_64"; do
	set -- $case
	mapping "$@"
	name="$(basename "$1") $2->$3 $4"
	t_eq "$name: loads" "0 0" "$RC $(jq '.reports | length' <<<"$OUT")" || cat "$P_DIR/err"
	t_eq "$name: mapping entries and repositories" "$(expected "$@")" \
		"$(jq -r '.messages[0].data | "\(.mapping | length) \(.repositories | length)"' <<<"$OUT")"
done
mapping "$T_TOP/files/repomap.json" 8 9 x86_64
t_eq "RHEL map: rhel8-BaseOS maps to rhel9-BaseOS" '["rhel9-BaseOS"]' \
	"$(jq -c '.messages[0].data.mapping[] | select(.source == "rhel8-BaseOS") | .target' <<<"$OUT")"

# the vendors' files in a whole preupgrade of the demo system
p_sysroot demo demo || { t_fail "mksysroot demo"; t_done; exit 1; }
V=$P_DIR/demo/root/etc/leapp/files/vendors.d
mkdir -p "$V"
cp "$D/vendors.d-mariadb_pes.json" "$V/mariadb_pes.json"
cp "$D/vendors.d-postgresql_pes.json" "$V/postgresql_pes.json"
cp "$D/vendors.d-mariadb_map.json.el8" "$V/mariadb_map.json"
cp "$D/vendors.d-postgresql_map.json.el8" "$V/postgresql_map.json"
p_preupgrade demo
t_eq "vendors: preupgrade succeeds" 0 "$P_RC" || p_show demo
t_eq "vendors: no inhibitor" "" "$(p_inhibitors demo)"
OUT=$(LEAPP_ACTORS_DIR=$P_DIR/actors "$T_LEAPP" actor run pes_events_scanner --root "$P_DIR/demo/root" --from-last-run 2>/dev/null)
t_eq "vendors: the PES files read" '["/etc/leapp/files/pes-events.json","/etc/leapp/files/vendors.d/mariadb_pes.json","/etc/leapp/files/vendors.d/postgresql_pes.json"]' \
	"$(jq -c '.messages[0].data.files' <<<"$OUT")"
t_eq "vendors: 5 events read" 5 "$(jq '.messages[0].data.events_read' <<<"$OUT")"
OUT=$(LEAPP_ACTORS_DIR=$P_DIR/actors "$T_LEAPP" actor run repositories_mapping --root "$P_DIR/demo/root" --from-last-run 2>/dev/null)
t_eq "vendors: the map files read" '["/etc/leapp/files/repomap.json","/etc/leapp/files/vendors.d/mariadb_map.json","/etc/leapp/files/vendors.d/postgresql_map.json"]' \
	"$(jq -c '.messages[0].data.files' <<<"$OUT")"
t_check "vendors: their pesids are known" jq -e '.messages[0].data.pesids | index("el8-mariadb-main") and index("pgdg15")' <<<"$OUT"
t_done

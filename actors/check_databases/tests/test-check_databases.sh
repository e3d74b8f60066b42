#!/bin/bash
# database_scanner + check_databases: PGDATA (default and from a service drop-in) with its
# PG_VERSION, MariaDB's datadir from my.cnf.d with mysql_upgrade_info; the reports have
# upstream's titles, the data path and the steps for the version found (12: after the upgrade;
# 10: move to 12 first; 13: nothing); no server package: no report.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
R=$F_DIR/root
rpm_json() { local s="" sep="" n; for n in "$@"; do s="$s$sep{\"name\":\"$n\",\"version\":\"1\",\"release\":\"1.el8\",\"arch\":\"x86_64\"}"; sep=","; done; printf '{"items":[%s]}' "$s"; }
scan_check() {
	run_actor database_scanner "$R"
	local dirs
	dirs=$(msg DatabaseDataDirectories .)
	mk_input "$F_DIR/in.json" "$(ipu 8.10 9.6)" DistributionSignedRPM "$(rpm_json "$@")" DatabaseDataDirectories "$dirs"
	run_actor check_databases / "$F_DIR/in.json"
}
summary() { printf '%s' "$A_OUT" | jq -r --arg t "$1" '.reports[] | select(.title == $t) | .summary'; }
hint() { printf '%s' "$A_OUT" | jq -r --arg t "$1" '.reports[] | select(.title == $t) | [.detail.remediations[] | select(.type == "hint") | .context] | join(" ")'; }
PG="PostgreSQL (postgresql-server) has been detected on your system"
MDB="MariaDB (mariadb-server) has been detected on your system"
MY="Further action to upgrade MySQL might be needed"

mkdir -p "$R/var/lib/pgsql/data"
echo 12 >"$R/var/lib/pgsql/data/PG_VERSION"
run_actor database_scanner "$R"
t_eq "scanner: default PGDATA and its version" '"/var/lib/pgsql/data true 12"' "$(msg DatabaseDataDirectories '.items[] | select(.engine == "postgresql") | "\(.path) \(.present) \(.version)"')"
t_eq "scanner: no MySQL datadir" '"/var/lib/mysql false null"' "$(msg DatabaseDataDirectories '.items[] | select(.engine == "mysql") | "\(.path) \(.present) \(.version)"')"
scan_check postgresql-server
t_eq "PostgreSQL: upstream's title, medium" "medium" "$(printf '%s' "$A_OUT" | jq -r --arg t "$PG" '.reports[] | select(.title == $t) | .severity')"
t_check "12: the data path and version" grep -q "/var/lib/pgsql/data was written by PostgreSQL 12" <<<"$(summary "$PG")"
t_check "12: the steps" grep -q "dnf install postgresql-upgrade; postgresql-setup --upgrade" <<<"$(hint "$PG")"
echo 10 >"$R/var/lib/pgsql/data/PG_VERSION"
scan_check postgresql-server
t_check "10: move to 12 first" grep -q "dnf module enable postgresql:12" <<<"$(hint "$PG")"
echo 13 >"$R/var/lib/pgsql/data/PG_VERSION"
scan_check postgresql-server
t_check "13: nothing to do" grep -q "already at version 13: nothing to do" <<<"$(summary "$PG")"
mkdir -p "$R/etc/systemd/system/postgresql.service.d" "$R/srv/pg"
printf '[Service]\nEnvironment=PGDATA=/srv/pg\n' >"$R/etc/systemd/system/postgresql.service.d/override.conf"
echo 12 >"$R/srv/pg/PG_VERSION"
scan_check postgresql-server
t_check "PGDATA from the drop-in" grep -q "/srv/pg was written by PostgreSQL 12" <<<"$(summary "$PG")"

mkdir -p "$R/etc/my.cnf.d" "$R/data/mysql"
printf '[mysqld]\ndatadir=/var/lib/mysql\n' >"$R/etc/my.cnf"
printf '[mariadb]\ndatadir = /data/mysql\n' >"$R/etc/my.cnf.d/zz-local.cnf"
echo "10.3.39-MariaDB" >"$R/data/mysql/mysql_upgrade_info"
scan_check mariadb-server
t_check "MariaDB: datadir from my.cnf.d and its version" grep -q "/data/mysql (last upgraded by 10.3.39-MariaDB)" <<<"$(summary "$MDB")"
t_check "MariaDB: the steps" grep -q "mariadb-upgrade" <<<"$(hint "$MDB")"
scan_check mysql-server
t_check "MySQL: upstream's title, the path" grep -q "/data/mysql" <<<"$(summary "$MY")"
scan_check bash
t_eq "no server package: nothing" 0 "$(printf '%s' "$A_OUT" | jq '.reports | length')"
t_done

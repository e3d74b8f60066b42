/* Checks: database servers whose data the upgrade does not convert (upstream
 * postgresql_check, mariadb_check, mysql_check): the report names the data directory, the
 * version that wrote it and the exact steps for it. Release 9 has PostgreSQL 13 (its
 * postgresql-upgrade package converts from 12 only), MariaDB 10.5 and MySQL 8.0. */
#include <stdlib.h>

#include "sys.h"
#include "leapp/actor.h"

static json_t *datadir(json_t *dirs, const char *engine)
{
	size_t i;
	json_t *d;
	json_array_foreach(json_object_get(dirs, "items"), i, d)
		if (!strcmp(json_string_value(json_object_get(d, "engine")) ?: "", engine))
			return d;
	return NULL;
}

static void postgresql(json_t *d, int target)
{
	const char *path = json_string_value(json_object_get(d, "path")) ?: "/var/lib/pgsql/data";
	const char *ver = json_is_true(json_object_get(d, "present")) ? json_string_value(json_object_get(d, "version")) : NULL;
	int major = ver ? atoi(ver) : 0;
	struct buf b = {0};
	buf_printf(&b, "The PostgreSQL server is upgraded to release %d's PostgreSQL 13, which cannot use data written by "
		       "an older major version. ", target);
	json_t *e = report_new("PostgreSQL (postgresql-server) has been detected on your system", NULL, "medium");
	if (!ver) {
		buf_printf(&b, "No initialized data directory was found at %s: if the data lives elsewhere, convert it "
			       "after the upgrade with postgresql-setup --upgrade (from PostgreSQL 12 only).", path);
	} else if (major >= 13) {
		buf_printf(&b, "The data directory %s is already at version %s: nothing to do.", path, ver);
	} else if (major == 12) {
		buf_printf(&b, "The data directory %s was written by PostgreSQL %s. After the upgrade, before starting the "
			       "service, convert it with the steps in the hint.", path, ver);
		report_add_hint(e, "After the upgrade: dnf install postgresql-upgrade; postgresql-setup --upgrade (it converts "
				   "the data in place and keeps the old one in /var/lib/pgsql/data-old); systemctl start "
				   "postgresql; vacuumdb --all --analyze-in-stages. Back up the data before the upgrade.");
	} else {
		buf_printf(&b, "The data directory %s was written by PostgreSQL %s, older than 12, the only version release "
			       "%d can convert from: move it to 12 on this system before the upgrade (hint), then to 13 after.",
			   path, ver, target);
		report_add_hint(e, "Before the upgrade: back up the data; dnf module reset postgresql; dnf module enable "
				   "postgresql:12; dnf install postgresql-server postgresql-upgrade; postgresql-setup --upgrade. "
				   "After the upgrade: dnf install postgresql-upgrade; postgresql-setup --upgrade; systemctl "
				   "start postgresql.");
	}
	buf_append(&b, "", 0);
	json_object_set_new(e, "summary", json_string(b.data));
	buf_free(&b);
	if (!json_object_get(json_object_get(e, "detail"), "remediations"))
		report_add_hint(e, "Back up your data before the upgrade.");
	report_add_group(e, "services");
	report_add_resource(e, "package", "postgresql-server");
	report_add_resource(e, "directory", path);
	report_add_external(e, "https://access.redhat.com/articles/6654721", "Migrating to a RHEL 9 version of PostgreSQL");
	actor_report(e);
}

static void mariadb(json_t *d, int target)
{
	const char *path = json_string_value(json_object_get(d, "path")) ?: "/var/lib/mysql";
	const char *ver = json_is_true(json_object_get(d, "present")) ? json_string_value(json_object_get(d, "version")) : NULL;
	_cleanup_free_ char *summary = xasprintf(
		"The MariaDB server is upgraded to release %d's MariaDB 10.5. Its data directory %s%s%s%s must be "
		"upgraded by the new server after the upgrade, or some tables and privileges stay in the old format.",
		target, path, ver ? " (last upgraded by " : "", ver ? ver : "", ver ? ")" : "");
	json_t *e = report_new("MariaDB (mariadb-server) has been detected on your system", summary, "medium");
	report_add_group(e, "services");
	report_add_hint(e, "Back up the data before the upgrade (mariabackup or mysqldump). After the upgrade: systemctl "
			   "start mariadb; mariadb-upgrade (mysql_upgrade); systemctl restart mariadb.");
	report_add_resource(e, "package", "mariadb-server");
	report_add_resource(e, "directory", path);
	report_add_external(e, "https://access.redhat.com/articles/6743671", "Migrating to a RHEL 9 version of MariaDB");
	actor_report(e);
}

static void mysql(json_t *d, int target)
{
	const char *path = json_string_value(json_object_get(d, "path")) ?: "/var/lib/mysql";
	_cleanup_free_ char *summary = xasprintf(
		"The MySQL server is reinstalled with release %d's MySQL 8.0, the same major version: the server upgrades "
		"the data directory %s itself when it first starts (MySQL 8.0.16 and later no longer need mysql_upgrade). "
		"MySQL 8.0 reaches the end of its extended support in April 2026; MySQL 8.4 is available as a module.",
		target, path);
	json_t *e = report_new("Further action to upgrade MySQL might be needed", summary, "medium");
	report_add_group(e, "services");
	report_add_hint(e, "Back up the data before the upgrade (mysqldump). After the upgrade: systemctl start mysqld and "
			   "check /var/log/mysql/mysqld.log for the data dictionary upgrade.");
	report_add_resource(e, "package", "mysql-server");
	report_add_resource(e, "directory", path);
	report_add_external(e, "https://access.redhat.com/articles/7099753", "Migrating MySQL databases from RHEL 8 to RHEL 9");
	actor_report(e);
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *rpms = actor_consume_last("DistributionSignedRPM");
	json_t *dirs = actor_consume_last("DatabaseDataDirectories");
	json_t *ipu = ipu_config_get();
	if (ipu_source_major(ipu) == 8 && ipu_target_major(ipu) >= 9) {
		if (fact_installed_rpm_has(rpms, "postgresql-server"))
			postgresql(datadir(dirs, "postgresql"), ipu_target_major(ipu));
		if (fact_installed_rpm_has(rpms, "mariadb-server"))
			mariadb(datadir(dirs, "mysql"), ipu_target_major(ipu));
		if (fact_installed_rpm_has(rpms, "mysql-server"))
			mysql(datadir(dirs, "mysql"), ipu_target_major(ipu));
	}
	json_decref(rpms);
	json_decref(dirs);
	json_decref(ipu);
	return actor_finish();
}

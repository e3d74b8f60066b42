/* FactsCollection: where the PostgreSQL, MariaDB and MySQL servers keep their data and which
 * version wrote it, so that check_databases can give the exact post-upgrade steps. PostgreSQL:
 * PGDATA from the service's drop-ins (Environment=PGDATA=), else /var/lib/pgsql/data; its
 * PG_VERSION file. MariaDB/MySQL: datadir from /etc/my.cnf and /etc/my.cnf.d/ ([mysqld],
 * [mariadb], [server]), else /var/lib/mysql; mysql_upgrade_info (the server version that last
 * upgraded the data). */
#include <ctype.h>
#include <dirent.h>
#include <sys/stat.h>

#include "fs.h"
#include "sys.h"
#include "leapp/actor.h"
#include "leapp/ini.h"

static char *first_line(const char *path)
{
	_cleanup_free_ char *data = NULL;
	size_t len;
	if (fs_root_read(path, 4096, &data, &len) < 0)
		return NULL;
	data[strcspn(data, "\r\n")] = 0;
	return *data ? xstrdup(data) : NULL;
}

/* Environment=PGDATA=/path (or "PGDATA=/path") in the postgresql service's drop-ins */
static char *pgdata_from_dropins(void)
{
	_cleanup_free_ char *dir = actor_path("/etc/systemd/system/postgresql.service.d");
	struct dirent **ents = NULL;
	int n = scandir(dir, &ents, NULL, alphasort);
	char *found = NULL;
	for (int i = 0; i < n; i++) {
		_cleanup_free_ char *p = xasprintf("/etc/systemd/system/postgresql.service.d/%s", ents[i]->d_name);
		_cleanup_free_ char *data = NULL;
		size_t len;
		if (fs_root_read(p, 1u << 16, &data, &len) == 0) {
			char *s = strstr(data, "PGDATA=");
			if (s) {
				s += 7;
				free(found);
				found = xstrndup(s, strcspn(s, "\"' \t\r\n"));
			}
		}
		free(ents[i]);
	}
	free(ents);
	return found;
}

static int on_mycnf(const char *section, const char *key, const char *value, int line, void *userdata)
{
	char **datadir = userdata;
	if (key && value && !strcmp(key, "datadir") &&
	    (!strcmp(section, "mysqld") || !strcmp(section, "mariadb") || !strcmp(section, "server"))) {
		free(*datadir);
		*datadir = xstrdup(value);
	}
	return 0;
}

static void mycnf_read(const char *path, char **datadir)
{
	_cleanup_free_ char *data = NULL;
	size_t len;
	int line = 0;
	if (fs_root_read(path, 1u << 20, &data, &len) == 0 && ini_parse(data, len, on_mycnf, datadir, &line) < 0)
		actor_warning("%s:%d: not valid INI syntax; the rest of the file is ignored", path, line);
}

static char *mysql_datadir(void)
{
	char *datadir = NULL;
	mycnf_read("/etc/my.cnf", &datadir);
	_cleanup_free_ char *dir = actor_path("/etc/my.cnf.d");
	struct dirent **ents = NULL;
	int n = scandir(dir, &ents, NULL, alphasort);
	for (int i = 0; i < n; i++) {
		size_t l = strlen(ents[i]->d_name);
		if (l > 4 && !strcmp(ents[i]->d_name + l - 4, ".cnf")) {
			_cleanup_free_ char *p = xasprintf("/etc/my.cnf.d/%s", ents[i]->d_name);
			mycnf_read(p, &datadir);
		}
		free(ents[i]);
	}
	free(ents);
	return datadir;
}

static void add(json_t *items, const char *engine, const char *path, const char *version_file)
{
	_cleanup_free_ char *full = actor_path(path);
	struct stat st;
	/* lstat: a symlink (to another volume) is resolved on the real system only, never here */
	bool present = lstat(full, &st) == 0 && (S_ISDIR(st.st_mode) || S_ISLNK(st.st_mode));
	_cleanup_free_ char *vf = path_join(path, version_file);
	_cleanup_free_ char *version = present ? first_line(vf) : NULL;
	json_array_append_new(items, json_pack("{s:s, s:s, s:b, s:s?}", "engine", engine, "path", path, "present", present,
					       "version", version));
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *items = json_array();
	_cleanup_free_ char *pgdata = pgdata_from_dropins();
	add(items, "postgresql", pgdata ? pgdata : "/var/lib/pgsql/data", "PG_VERSION");
	_cleanup_free_ char *my = mysql_datadir();
	add(items, "mysql", my ? my : "/var/lib/mysql", "mysql_upgrade_info");
	actor_produce("DatabaseDataDirectories", json_pack("{s:o}", "items", items));
	return actor_finish();
}

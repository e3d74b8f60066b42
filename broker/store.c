/* The audit store: SQLite in WAL mode, schema migrations, batched writes, committed runs. */
#include "store.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include "leapp/model.h"
#include "leapp/util.h"

#define SCHEMA_VERSION 1

struct store {
	sqlite3 *db;
	char *path;
	bool in_tx;
	bool unsynced;  /* commits made since the WAL was last synced */
	bool sync_full; /* LEAPP_STORE_SYNC=full */
	int failed;     /* a write or commit failed: every later write returns this (sticky) */
	char *errmsg;   /* what the last error was */
	sqlite3_stmt *st_msg, *st_log, *st_report, *st_read;
};

static const char *const migrations[] = {
	/* 1: the initial schema */
	"CREATE TABLE executions ("
	"  id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, cmdline TEXT, config TEXT,"
	"  status TEXT NOT NULL DEFAULT 'running', next_phase TEXT, boot_id TEXT,"
	"  started REAL NOT NULL, finished REAL);"
	"CREATE TABLE actor_runs ("
	"  id INTEGER PRIMARY KEY, execution INTEGER NOT NULL REFERENCES executions(id),"
	"  actor TEXT NOT NULL, phase TEXT NOT NULL, phase_idx INTEGER NOT NULL, stage INTEGER NOT NULL,"
	"  position INTEGER NOT NULL, pid INTEGER, started REAL, ended REAL, exit_code INTEGER, signal INTEGER,"
	"  duration REAL, peak_rss_kb INTEGER, status TEXT NOT NULL DEFAULT 'running',"
	"  committed INTEGER NOT NULL DEFAULT 0, failure TEXT);"
	"CREATE INDEX actor_runs_exec ON actor_runs(execution, phase_idx, stage, position);"
	"CREATE TABLE messages ("
	"  id INTEGER PRIMARY KEY, execution INTEGER NOT NULL, run INTEGER NOT NULL REFERENCES actor_runs(id),"
	"  okey INTEGER NOT NULL, model TEXT NOT NULL, topic TEXT NOT NULL, producer TEXT NOT NULL,"
	"  data BLOB NOT NULL, hash TEXT NOT NULL);"
	"CREATE INDEX messages_order ON messages(execution, okey);"
	"CREATE INDEX messages_run ON messages(run);"
	"CREATE TABLE logs ("
	"  id INTEGER PRIMARY KEY, execution INTEGER NOT NULL, run INTEGER, level TEXT NOT NULL,"
	"  ts REAL NOT NULL, message TEXT NOT NULL);"
	"CREATE INDEX logs_run ON logs(run);"
	"CREATE TABLE report_entries ("
	"  id INTEGER PRIMARY KEY, execution INTEGER NOT NULL, run INTEGER, origin TEXT NOT NULL,"
	"  key TEXT, severity TEXT, title TEXT, entry TEXT NOT NULL);"
	"CREATE INDEX report_exec ON report_entries(execution);"
	"CREATE TABLE dialogs ("
	"  id INTEGER PRIMARY KEY, execution INTEGER NOT NULL, run INTEGER, scope TEXT, dialog TEXT NOT NULL);"
	"CREATE TABLE answers ("
	"  id INTEGER PRIMARY KEY, execution INTEGER NOT NULL, answers TEXT NOT NULL);",
};

static int sql_err(struct store *s, char **ret_err, const char *what)
{
	free(s->errmsg);
	s->errmsg = xasprintf("%s: %s: %s", s->path, what, sqlite3_errmsg(s->db));
	if (ret_err)
		*ret_err = xstrdup(s->errmsg);
	int code = sqlite3_errcode(s->db) & 0xff;
	if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB)
		return -EBADMSG;
	if (code == SQLITE_READONLY || code == SQLITE_CANTOPEN || code == SQLITE_PERM)
		return -EACCES;
	if (code == SQLITE_FULL)
		return -ENOSPC;
	if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
		return -EBUSY;
	return -EIO;
}

static int exec_sql(struct store *s, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(s->db, sql, NULL, NULL, &msg);
	sqlite3_free(msg);
	return rc == SQLITE_OK ? 0 : -EIO;
}

static int user_version(struct store *s, int *ret)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return -EIO;
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(st);
		return -EIO;
	}
	*ret = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return 0;
}

/* Quick structural check before we write anything: a corrupted file must be reported, and
 * never "repaired" by overwriting it. */
static int check_header(const char *path, char **ret_err)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	char hdr[16];
	ssize_t n = read(fd, hdr, sizeof(hdr));
	if (n == 0)
		return 0; /* an empty file is a new database */
	if (n != (ssize_t)sizeof(hdr) || memcmp(hdr, "SQLite format 3", 16) != 0) {
		if (ret_err)
			*ret_err = xasprintf("%s is not a leapp database (bad header); it was left untouched: "
					     "move it away to start over",
					     path);
		return -EBADMSG;
	}
	return 0;
}

int store_open(const char *path, bool create, struct store **ret, char **ret_err)
{
	int r = check_header(path, ret_err);
	if (r < 0)
		return r;
	if (!create && access(path, F_OK) < 0) {
		if (ret_err)
			*ret_err = xasprintf("%s: no leapp database here (run leapp preupgrade or upgrade first)", path);
		return -ENOENT;
	}
	struct store *s = xcalloc(1, sizeof(*s));
	s->path = xstrdup(path);
	const char *sync = getenv("LEAPP_STORE_SYNC");
	s->sync_full = sync && !strcmp(sync, "full");
	int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX;
	mode_t old = umask(0077); /* the store is 0600 */
	int rc = sqlite3_open_v2(path, &s->db, flags, NULL);
	umask(old);
	if (rc != SQLITE_OK) {
		r = s->db ? sql_err(s, ret_err, "cannot open") : -ENOMEM;
		store_close(s);
		return r;
	}
	chmod(path, 0600);
	sqlite3_busy_timeout(s->db, 2000);
	sqlite3_extended_result_codes(s->db, 1);
	/* journal_mode WAL reads the header and first page: corruption shows here or below */
	if (exec_sql(s, "PRAGMA journal_mode=WAL") < 0 || exec_sql(s, "PRAGMA foreign_keys=ON") < 0 ||
	    exec_sql(s, s->sync_full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL") < 0) {
		r = sql_err(s, ret_err, "cannot set up the database");
		if (r == -EBADMSG && ret_err) {
			free(*ret_err);
			*ret_err = xasprintf("%s is damaged (%s); it was left untouched: move it away to start over",
					     path, sqlite3_errmsg(s->db));
		}
		store_close(s);
		return r;
	}
	int ver;
	if (user_version(s, &ver) < 0) {
		r = sql_err(s, ret_err, "cannot read the schema version");
		if (r == -EIO)
			r = -EBADMSG;
		store_close(s);
		return r;
	}
	if (ver > (int)ELEMENTSOF(migrations)) {
		if (ret_err)
			*ret_err = xasprintf("%s: schema version %d is newer than this leapp knows (%d)", path, ver,
					     (int)ELEMENTSOF(migrations));
		store_close(s);
		return -EPROTONOSUPPORT;
	}
	if (ver > 0) {
		/* an existing store: make sure the tables we rely on really are there */
		sqlite3_stmt *st;
		if (sqlite3_prepare_v2(s->db, "SELECT count(*) FROM executions", -1, &st, NULL) != SQLITE_OK ||
		    sqlite3_step(st) != SQLITE_ROW) {
			sqlite3_finalize(st);
			r = sql_err(s, ret_err, "the database is damaged (left untouched)");
			store_close(s);
			return r == -EIO ? -EBADMSG : r;
		}
		sqlite3_finalize(st);
	}
	for (int v = ver; v < (int)ELEMENTSOF(migrations); v++) {
		_cleanup_free_ char *sql = xasprintf("BEGIN; %s; PRAGMA user_version=%d; COMMIT;", migrations[v], v + 1);
		if (exec_sql(s, sql) < 0) {
			r = sql_err(s, ret_err, "schema migration failed");
			exec_sql(s, "ROLLBACK");
			store_close(s);
			return r;
		}
	}
	*ret = s;
	return 0;
}

const char *store_errmsg(const struct store *s)
{
	return s->errmsg ? s->errmsg : "no error";
}

/* A write or commit failed: nothing more is written (what is in the open batch is rolled back
 * at close), so that what was committed before stays exactly as it was. */
static int store_fail(struct store *s, int r)
{
	if (!s->failed)
		s->failed = r;
	return r;
}

void store_close(struct store *s)
{
	if (!s)
		return;
	/* the callers flush what matters and report its errors; this is the last chance */
	if (s->in_tx && !s->failed && store_flush(s, true) < 0)
		s->failed = -EIO;
	if (s->in_tx || (s->db && !sqlite3_get_autocommit(s->db)))
		exec_sql(s, "ROLLBACK");
	sqlite3_finalize(s->st_msg);
	sqlite3_finalize(s->st_log);
	sqlite3_finalize(s->st_report);
	sqlite3_finalize(s->st_read);
	if (s->db) {
		sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
		sqlite3_close_v2(s->db);
	}
	free(s->path);
	free(s->errmsg);
	free(s);
}

const char *store_path(const struct store *s)
{
	return s->path;
}

static int tx_begin(struct store *s)
{
	if (s->failed)
		return s->failed;
	if (s->in_tx)
		return 0;
	if (exec_sql(s, "BEGIN IMMEDIATE") < 0)
		return store_fail(s, sql_err(s, NULL, "begin a transaction"));
	s->in_tx = true;
	return 0;
}

/* A COMMIT that failed may leave the transaction open (SQLITE_BUSY) or roll it back (an I/O
 * error): ask SQLite which, never assume. */
static int commit(struct store *s, const char *what)
{
	if (exec_sql(s, "COMMIT") < 0) {
		int r = sql_err(s, NULL, what);
		s->in_tx = !sqlite3_get_autocommit(s->db);
		return store_fail(s, r);
	}
	s->in_tx = false;
	return 0;
}

/*
 * Sync the WAL. SQLite syncs only in a COMMIT made under synchronous=FULL, and the level cannot
 * change inside a transaction, so a batch is committed first and then the header page (the
 * schema version, unchanged) is rewritten under FULL: an empty transaction would write, and
 * sync, nothing. The sync covers every frame written before it.
 */
static int wal_sync(struct store *s)
{
	if (exec_sql(s, "PRAGMA synchronous=FULL") < 0)
		return store_fail(s, sql_err(s, NULL, "sync (synchronous=FULL)"));
	int r = tx_begin(s);
	if (r == 0) {
		_cleanup_free_ char *sql = xasprintf("PRAGMA user_version=%d", (int)ELEMENTSOF(migrations));
		r = exec_sql(s, sql) < 0 ? store_fail(s, sql_err(s, NULL, "sync")) : commit(s, "sync");
	}
	if (r == 0 && exec_sql(s, "PRAGMA synchronous=NORMAL") < 0)
		r = store_fail(s, sql_err(s, NULL, "sync (synchronous=NORMAL)"));
	if (r == 0)
		s->unsynced = false;
	return r;
}

int store_flush(struct store *s, bool durable)
{
	if (s->failed)
		return s->failed;
	int r = 0;
	if (s->in_tx) {
		r = commit(s, "commit");
		if (r == 0 && !s->sync_full)
			s->unsynced = true;
	}
	if (r == 0 && durable && s->unsynced)
		r = wal_sync(s);
	return r;
}

static sqlite3_stmt *prep(struct store *s, const char *sql)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return NULL;
	return st;
}

static void bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

static char *col_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? xstrdup((const char *)t) : NULL;
}

/* The end of a read that built a JSON array: hands it over, or drops it on an error. */
static int read_done(struct store *s, sqlite3_stmt *st, int rc, json_t *a, json_t **ret)
{
	int r = rc == SQLITE_DONE ? 0 : sql_err(s, NULL, "read");
	sqlite3_finalize(st);
	if (r < 0) {
		json_decref(a);
		return r;
	}
	*ret = a;
	return 0;
}

static int step_done(struct store *s, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	int r = rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : store_fail(s, sql_err(s, NULL, "write"));
	sqlite3_finalize(st);
	return r;
}

void execution_clear(struct execution *e)
{
	free(e->kind);
	free(e->status);
	free(e->next_phase);
	free(e->boot_id);
	free(e->cmdline);
	json_decref(e->config);
	memset(e, 0, sizeof(*e));
}

int store_execution_new(struct store *s, const char *kind, const char *cmdline, json_t *config, struct execution *ret)
{
	int r = tx_begin(s);
	if (r < 0)
		return r;
	char uuid[37];
	uuid_generate_str(uuid);
	double now = now_realtime();
	_cleanup_free_ char *cfg = config ? json_dumps(config, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	sqlite3_stmt *st = prep(s, "INSERT INTO executions(uuid, kind, cmdline, config, started) VALUES(?,?,?,?,?)");
	if (!st)
		return sql_err(s, NULL, "prepare");
	bind_text(st, 1, uuid);
	bind_text(st, 2, kind);
	bind_text(st, 3, cmdline);
	bind_text(st, 4, cfg);
	sqlite3_bind_double(st, 5, now);
	if ((r = step_done(s, st)) < 0)
		return r;
	memset(ret, 0, sizeof(*ret));
	ret->id = sqlite3_last_insert_rowid(s->db);
	memcpy(ret->uuid, uuid, sizeof(uuid));
	ret->kind = xstrdup(kind);
	ret->status = xstrdup("running");
	ret->cmdline = cmdline ? xstrdup(cmdline) : NULL;
	ret->config = config ? json_incref(config) : NULL;
	ret->started = now;
	return 0;
}

static void fill_execution(sqlite3_stmt *st, struct execution *e)
{
	memset(e, 0, sizeof(*e));
	e->id = sqlite3_column_int64(st, 0);
	const unsigned char *u = sqlite3_column_text(st, 1);
	snprintf(e->uuid, sizeof(e->uuid), "%s", u ? (const char *)u : "");
	e->kind = col_dup(st, 2);
	e->status = col_dup(st, 3);
	e->next_phase = col_dup(st, 4);
	e->boot_id = col_dup(st, 5);
	e->cmdline = col_dup(st, 6);
	const unsigned char *c = sqlite3_column_text(st, 7);
	e->config = c ? json_loads((const char *)c, 0, NULL) : NULL;
	e->started = sqlite3_column_double(st, 8);
	e->finished = sqlite3_column_double(st, 9);
}

#define EXEC_COLS "id, uuid, kind, status, next_phase, boot_id, cmdline, config, started, finished"

int store_execution_last(struct store *s, const char *kind, struct execution *ret)
{
	sqlite3_stmt *st = prep(s, kind ? "SELECT " EXEC_COLS " FROM executions WHERE kind = ? ORDER BY id DESC LIMIT 1"
					: "SELECT " EXEC_COLS " FROM executions ORDER BY id DESC LIMIT 1");
	if (!st)
		return sql_err(s, NULL, "prepare");
	if (kind)
		bind_text(st, 1, kind);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		fill_execution(st, ret);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? -ENOENT : sql_err(s, NULL, "read executions");
}

int store_execution_get(struct store *s, const char *uuid, struct execution *ret)
{
	sqlite3_stmt *st = prep(s, "SELECT " EXEC_COLS " FROM executions WHERE uuid = ?");
	if (!st)
		return sql_err(s, NULL, "prepare");
	bind_text(st, 1, uuid);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		fill_execution(st, ret);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? -ENOENT : sql_err(s, NULL, "read executions");
}

int store_execution_update(struct store *s, int64_t id, const char *status, const char *next_phase, const char *boot_id,
			   bool finished)
{
	int r = tx_begin(s);
	if (r < 0)
		return r;
	sqlite3_stmt *st = prep(s, "UPDATE executions SET status = coalesce(?, status), next_phase = ?, "
				   "boot_id = coalesce(?, boot_id), finished = CASE WHEN ? THEN ? ELSE finished END "
				   "WHERE id = ?");
	if (!st)
		return sql_err(s, NULL, "prepare");
	bind_text(st, 1, status);
	bind_text(st, 2, next_phase);
	bind_text(st, 3, boot_id);
	sqlite3_bind_int(st, 4, finished);
	sqlite3_bind_double(st, 5, now_realtime());
	sqlite3_bind_int64(st, 6, id);
	return step_done(s, st);
}

int store_executions_list(struct store *s, json_t **ret)
{
	sqlite3_stmt *st = prep(s, "SELECT " EXEC_COLS " FROM executions ORDER BY id");
	if (!st)
		return sql_err(s, NULL, "prepare");
	json_t *a = json_array();
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct execution e;
		fill_execution(st, &e);
		json_array_append_new(a, json_pack("{s:I, s:s, s:s?, s:s?, s:s?, s:s?, s:f, s:f}", "id", (json_int_t)e.id,
						   "uuid", e.uuid, "kind", e.kind, "status", e.status, "next_phase",
						   e.next_phase, "cmdline", e.cmdline, "started", e.started, "finished",
						   e.finished));
		execution_clear(&e);
	}
	return read_done(s, st, rc, a, ret);
}

int store_run_new(struct store *s, int64_t exec, const char *actor, const char *phase, int phase_idx, int stage,
		  int position, int64_t *ret_run)
{
	int r = tx_begin(s);
	if (r < 0)
		return r;
	sqlite3_stmt *st = prep(s, "INSERT INTO actor_runs(execution, actor, phase, phase_idx, stage, position) "
				   "VALUES(?,?,?,?,?,?)");
	if (!st)
		return sql_err(s, NULL, "prepare");
	sqlite3_bind_int64(st, 1, exec);
	bind_text(st, 2, actor);
	bind_text(st, 3, phase);
	sqlite3_bind_int(st, 4, phase_idx);
	sqlite3_bind_int(st, 5, stage);
	sqlite3_bind_int(st, 6, position);
	if ((r = step_done(s, st)) < 0)
		return r;
	*ret_run = sqlite3_last_insert_rowid(s->db);
	return 0;
}

int store_run_started(struct store *s, int64_t run, int pid, double started)
{
	int r = tx_begin(s);
	if (r < 0)
		return r;
	sqlite3_stmt *st = prep(s, "UPDATE actor_runs SET pid = ?, started = ? WHERE id = ?");
	if (!st)
		return sql_err(s, NULL, "prepare");
	sqlite3_bind_int(st, 1, pid);
	sqlite3_bind_double(st, 2, started);
	sqlite3_bind_int64(st, 3, run);
	return step_done(s, st);
}

int store_run_finished(struct store *s, int64_t run, const char *status, int exit_code, int signal, double duration,
		       int64_t peak_rss_kb, bool committed, const char *failure)
{
	int r = tx_begin(s);
	if (r < 0)
		return r;
	sqlite3_stmt *st = prep(s, "UPDATE actor_runs SET status = ?, exit_code = ?, signal = ?, duration = ?, "
				   "peak_rss_kb = ?, committed = ?, failure = ?, ended = ? WHERE id = ?");
	if (!st)
		return sql_err(s, NULL, "prepare");
	bind_text(st, 1, status);
	sqlite3_bind_int(st, 2, exit_code);
	sqlite3_bind_int(st, 3, signal);
	sqlite3_bind_double(st, 4, duration);
	sqlite3_bind_int64(st, 5, peak_rss_kb);
	sqlite3_bind_int(st, 6, committed);
	bind_text(st, 7, failure);
	sqlite3_bind_double(st, 8, now_realtime());
	sqlite3_bind_int64(st, 9, run);
	return step_done(s, st);
}

int store_runs_list(struct store *s, int64_t exec, json_t **ret)
{
	sqlite3_stmt *st = prep(s, "SELECT id, actor, phase, stage, position, pid, started, duration, exit_code, signal, "
				   "peak_rss_kb, status, committed, failure FROM actor_runs WHERE execution = ? ORDER BY id");
	if (!st)
		return sql_err(s, NULL, "prepare");
	json_t *a = json_array();
	int rc;
	sqlite3_bind_int64(st, 1, exec);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		json_array_append_new(
			a, json_pack("{s:I, s:s, s:s, s:i, s:i, s:i, s:f, s:f, s:i, s:i, s:I, s:s, s:b, s:s?}", "id",
				     (json_int_t)sqlite3_column_int64(st, 0), "actor", sqlite3_column_text(st, 1), "phase",
				     sqlite3_column_text(st, 2), "stage", sqlite3_column_int(st, 3), "position",
				     sqlite3_column_int(st, 4), "pid", sqlite3_column_int(st, 5), "started",
				     sqlite3_column_double(st, 6), "duration", sqlite3_column_double(st, 7), "exit_code",
				     sqlite3_column_int(st, 8), "signal", sqlite3_column_int(st, 9), "peak_rss_kb",
				     (json_int_t)sqlite3_column_int64(st, 10), "status", sqlite3_column_text(st, 11),
				     "committed", sqlite3_column_int(st, 12), "failure", sqlite3_column_text(st, 13)));
	}
	return read_done(s, st, rc, a, ret);
}

int store_discard_uncommitted(struct store *s, int64_t exec)
{
	int r = tx_begin(s);
	if (r < 0)
		return r;
	static const char *const sql[] = {
		"DELETE FROM messages WHERE run IN (SELECT id FROM actor_runs WHERE execution = ?1 AND committed = 0)",
		"DELETE FROM logs WHERE run IN (SELECT id FROM actor_runs WHERE execution = ?1 AND committed = 0)",
		"DELETE FROM report_entries WHERE run IN (SELECT id FROM actor_runs WHERE execution = ?1 AND committed = 0)",
		"DELETE FROM dialogs WHERE run IN (SELECT id FROM actor_runs WHERE execution = ?1 AND committed = 0)",
		"DELETE FROM actor_runs WHERE execution = ?1 AND committed = 0",
	};
	int n = 0;
	for (size_t i = 0; i < ELEMENTSOF(sql); i++) {
		sqlite3_stmt *st = prep(s, sql[i]);
		if (!st)
			return sql_err(s, NULL, "prepare");
		sqlite3_bind_int64(st, 1, exec);
		if ((r = step_done(s, st)) < 0)
			return r;
		if (i + 1 == ELEMENTSOF(sql))
			n = sqlite3_changes(s->db);
	}
	return n;
}

static int delete_runs(struct store *s, int64_t exec, const char *cond, int arg)
{
	int r = tx_begin(s);
	if (r < 0)
		return r;
	static const char *const tables[] = {"messages", "logs", "report_entries", "dialogs"};
	for (size_t i = 0; i < ELEMENTSOF(tables); i++) {
		_cleanup_free_ char *sql =
			xasprintf("DELETE FROM %s WHERE run IN (SELECT id FROM actor_runs WHERE execution = ?1 AND %s)", tables[i], cond);
		sqlite3_stmt *st = prep(s, sql);
		if (!st)
			return sql_err(s, NULL, "prepare");
		sqlite3_bind_int64(st, 1, exec);
		sqlite3_bind_int(st, 2, arg);
		if ((r = step_done(s, st)) < 0)
			return r;
	}
	_cleanup_free_ char *sql = xasprintf("DELETE FROM actor_runs WHERE execution = ?1 AND %s", cond);
	sqlite3_stmt *st = prep(s, sql);
	if (!st)
		return sql_err(s, NULL, "prepare");
	sqlite3_bind_int64(st, 1, exec);
	sqlite3_bind_int(st, 2, arg);
	if ((r = step_done(s, st)) < 0)
		return r;
	return sqlite3_changes(s->db);
}

int store_discard_from_phase(struct store *s, int64_t exec, int phase_idx)
{
	return delete_runs(s, exec, "phase_idx >= ?2", phase_idx);
}

int store_execution_delete(struct store *s, int64_t exec)
{
	int r = delete_runs(s, exec, "?2 = ?2", 0);
	if (r < 0)
		return r;
	static const char *const sql[] = {"DELETE FROM report_entries WHERE execution = ?", "DELETE FROM logs WHERE execution = ?",
					  "DELETE FROM answers WHERE execution = ?", "DELETE FROM executions WHERE id = ?"};
	for (size_t i = 0; i < ELEMENTSOF(sql); i++) {
		sqlite3_stmt *st = prep(s, sql[i]);
		if (!st)
			return sql_err(s, NULL, "prepare");
		sqlite3_bind_int64(st, 1, exec);
		if ((r = step_done(s, st)) < 0)
			return r;
	}
	return 0;
}

int store_run_committed(struct store *s, int64_t exec, const char *actor, const char *phase)
{
	sqlite3_stmt *st = prep(s, "SELECT 1 FROM actor_runs WHERE execution = ? AND actor = ? AND phase = ? AND committed = 1");
	if (!st)
		return sql_err(s, NULL, "prepare");
	sqlite3_bind_int64(st, 1, exec);
	bind_text(st, 2, actor);
	bind_text(st, 3, phase);
	int rc = sqlite3_step(st);
	int r = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : sql_err(s, NULL, "read actor runs");
	sqlite3_finalize(st);
	return r;
}

void run_info_clear(struct run_info *r)
{
	free(r->actor);
	free(r->phase);
	free(r->status);
	memset(r, 0, sizeof(*r));
}

int store_last_failed_run(struct store *s, int64_t exec, struct run_info *ret)
{
	sqlite3_stmt *st = prep(s, "SELECT id, actor, phase, status, committed, exit_code, signal FROM actor_runs "
				   "WHERE execution = ? AND committed = 0 AND status IN ('failed', 'killed') "
				   "ORDER BY id DESC LIMIT 1");
	if (!st)
		return sql_err(s, NULL, "prepare");
	sqlite3_bind_int64(st, 1, exec);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		ret->id = sqlite3_column_int64(st, 0);
		ret->actor = col_dup(st, 1);
		ret->phase = col_dup(st, 2);
		ret->status = col_dup(st, 3);
		ret->committed = sqlite3_column_int(st, 4);
		ret->exit_code = sqlite3_column_int(st, 5);
		ret->signal = sqlite3_column_int(st, 6);
	}
	int r = rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? -ENOENT : sql_err(s, NULL, "read actor runs");
	sqlite3_finalize(st);
	return r;
}

int store_message_add(struct store *s, int64_t exec, int64_t run, int64_t okey, const char *model, const char *topic,
		      const char *producer, const void *data, size_t len)
{
	int r = tx_begin(s);
	if (r < 0)
		return r;
	if (!s->st_msg) {
		s->st_msg = prep(s, "INSERT INTO messages(execution, run, okey, model, topic, producer, data, hash) "
				    "VALUES(?,?,?,?,?,?,?,?)");
		if (!s->st_msg)
			return sql_err(s, NULL, "prepare");
	}
	char hash[65];
	sha256_hex(data, len, hash);
	sqlite3_stmt *st = s->st_msg;
	sqlite3_bind_int64(st, 1, exec);
	sqlite3_bind_int64(st, 2, run);
	sqlite3_bind_int64(st, 3, okey);
	sqlite3_bind_text(st, 4, model, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, topic, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, producer, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 7, data, (int)len, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, hash, 64, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? 0 : store_fail(s, sql_err(s, NULL, "insert message"));
}

int store_log_add(struct store *s, int64_t exec, int64_t run, const char *level, double ts, const char *msg)
{
	int r = tx_begin(s);
	if (r < 0)
		return r;
	if (!s->st_log) {
		s->st_log = prep(s, "INSERT INTO logs(execution, run, level, ts, message) VALUES(?,?,?,?,?)");
		if (!s->st_log)
			return sql_err(s, NULL, "prepare");
	}
	sqlite3_stmt *st = s->st_log;
	sqlite3_bind_int64(st, 1, exec);
	if (run > 0)
		sqlite3_bind_int64(st, 2, run);
	else
		sqlite3_bind_null(st, 2);
	sqlite3_bind_text(st, 3, level, -1, SQLITE_STATIC);
	sqlite3_bind_double(st, 4, ts);
	sqlite3_bind_text(st, 5, msg, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? 0 : store_fail(s, sql_err(s, NULL, "insert log"));
}

int store_report_add(struct store *s, int64_t exec, int64_t run, const char *origin, json_t *entry)
{
	int r = tx_begin(s);
	if (r < 0)
		return r;
	_cleanup_free_ char *js = json_dumps(entry, JSON_COMPACT | JSON_PRESERVE_ORDER);
	sqlite3_stmt *st = prep(s, "INSERT INTO report_entries(execution, run, origin, key, severity, title, entry) "
				   "VALUES(?,?,?,?,?,?,?)");
	if (!st)
		return sql_err(s, NULL, "prepare");
	sqlite3_bind_int64(st, 1, exec);
	if (run > 0)
		sqlite3_bind_int64(st, 2, run);
	else
		sqlite3_bind_null(st, 2);
	bind_text(st, 3, origin);
	bind_text(st, 4, json_string_value(json_object_get(entry, "key")));
	bind_text(st, 5, json_string_value(json_object_get(entry, "severity")));
	bind_text(st, 6, json_string_value(json_object_get(entry, "title")));
	bind_text(st, 7, js);
	return step_done(s, st);
}

int store_dialog_add(struct store *s, int64_t exec, int64_t run, json_t *dialog)
{
	int r = tx_begin(s);
	if (r < 0)
		return r;
	_cleanup_free_ char *js = json_dumps(dialog, JSON_COMPACT | JSON_PRESERVE_ORDER);
	sqlite3_stmt *st = prep(s, "INSERT INTO dialogs(execution, run, scope, dialog) VALUES(?,?,?,?)");
	if (!st)
		return sql_err(s, NULL, "prepare");
	sqlite3_bind_int64(st, 1, exec);
	sqlite3_bind_int64(st, 2, run);
	bind_text(st, 3, json_string_value(json_object_get(dialog, "scope")));
	bind_text(st, 4, js);
	return step_done(s, st);
}

int store_answers_set(struct store *s, int64_t exec, json_t *answers)
{
	int r = tx_begin(s);
	if (r < 0)
		return r;
	_cleanup_free_ char *js = json_dumps(answers, JSON_COMPACT | JSON_SORT_KEYS);
	sqlite3_stmt *st = prep(s, "INSERT INTO answers(execution, answers) VALUES(?,?)");
	if (!st)
		return sql_err(s, NULL, "prepare");
	sqlite3_bind_int64(st, 1, exec);
	bind_text(st, 2, js);
	return step_done(s, st);
}

int store_messages_read(struct store *s, int64_t exec, char *const *models, size_t n_models, int64_t after_okey,
			int limit, store_message_cb cb, void *userdata)
{
	if (n_models == 0)
		return 0;
	/* models are bound through a JSON array so one prepared shape serves any list */
	json_t *ml = json_array();
	for (size_t i = 0; i < n_models; i++)
		json_array_append_new(ml, json_string(models[i]));
	_cleanup_free_ char *mjs = json_dumps(ml, JSON_COMPACT);
	json_decref(ml);
	if (!s->st_read) {
		s->st_read = prep(s, "SELECT m.okey, m.model, m.topic, m.producer, m.data FROM messages m "
				     "JOIN actor_runs r ON r.id = m.run "
				     "WHERE m.execution = ?1 AND r.committed = 1 AND m.okey > ?2 "
				     "AND m.model IN (SELECT value FROM json_each(?3)) ORDER BY m.okey LIMIT ?4");
		if (!s->st_read)
			return sql_err(s, NULL, "prepare");
	}
	sqlite3_stmt *st = s->st_read;
	sqlite3_bind_int64(st, 1, exec);
	sqlite3_bind_int64(st, 2, after_okey);
	sqlite3_bind_text(st, 3, mjs, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, limit);
	int n = 0, rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		cb(userdata, sqlite3_column_int64(st, 0), (const char *)sqlite3_column_text(st, 1),
		   (const char *)sqlite3_column_text(st, 2), (const char *)sqlite3_column_text(st, 3),
		   sqlite3_column_blob(st, 4), (size_t)sqlite3_column_bytes(st, 4));
		n++;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? n : sql_err(s, NULL, "read messages");
}

int store_message_last(struct store *s, int64_t exec, const char *model, void **ret_data, size_t *ret_len)
{
	sqlite3_stmt *st = prep(s, "SELECT m.data FROM messages m JOIN actor_runs r ON r.id = m.run "
				   "WHERE m.execution = ? AND r.committed = 1 AND m.model = ? ORDER BY m.okey DESC LIMIT 1");
	if (!st)
		return sql_err(s, NULL, "prepare");
	sqlite3_bind_int64(st, 1, exec);
	bind_text(st, 2, model);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		size_t n = (size_t)sqlite3_column_bytes(st, 0);
		void *d = xmalloc(n);
		memcpy(d, sqlite3_column_blob(st, 0), n);
		*ret_data = d;
		*ret_len = n;
	}
	int r = rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? -ENOENT : sql_err(s, NULL, "read messages");
	sqlite3_finalize(st);
	return r;
}

int store_messages_json(struct store *s, int64_t exec, char *const *models, size_t n_models, json_t **ret)
{
	sqlite3_stmt *st = prep(s, "SELECT m.model, m.producer, m.data FROM messages m JOIN actor_runs r ON r.id = m.run "
				   "WHERE m.execution = ? AND r.committed = 1 ORDER BY m.okey");
	if (!st)
		return sql_err(s, NULL, "prepare");
	json_t *a = json_array();
	int rc;
	sqlite3_bind_int64(st, 1, exec);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *model = (const char *)sqlite3_column_text(st, 0);
		bool want = n_models == 0;
		for (size_t i = 0; i < n_models && !want; i++)
			want = !strcmp(models[i], model);
		if (!want)
			continue;
		msgpack_zone z;
		msgpack_zone_init(&z, 4096);
		msgpack_object o;
		size_t off = 0;
		json_t *data = json_null();
		if (msgpack_unpack(sqlite3_column_blob(st, 2), (size_t)sqlite3_column_bytes(st, 2), &off, &z, &o) ==
		    MSGPACK_UNPACK_SUCCESS) {
			json_decref(data);
			data = msgpack_to_json(&o);
		}
		msgpack_zone_destroy(&z);
		json_array_append_new(a, json_pack("{s:s, s:s, s:o}", "model", model, "producer",
						   (const char *)sqlite3_column_text(st, 1), "data", data));
	}
	return read_done(s, st, rc, a, ret);
}

int store_reports(struct store *s, int64_t exec, json_t **ret)
{
	sqlite3_stmt *st = prep(s, "SELECT e.entry FROM report_entries e LEFT JOIN actor_runs r ON r.id = e.run "
				   "WHERE e.execution = ? AND (e.origin = 'broker' OR r.committed = 1) ORDER BY e.id");
	if (!st)
		return sql_err(s, NULL, "prepare");
	json_t *a = json_array();
	int rc;
	sqlite3_bind_int64(st, 1, exec);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		json_t *e = json_loads((const char *)sqlite3_column_text(st, 0), 0, NULL);
		if (e)
			json_array_append_new(a, e);
	}
	return read_done(s, st, rc, a, ret);
}

int store_dialogs(struct store *s, int64_t exec, json_t **ret)
{
	sqlite3_stmt *st = prep(s, "SELECT d.dialog, r.actor FROM dialogs d JOIN actor_runs r ON r.id = d.run "
				   "WHERE d.execution = ? AND r.committed = 1 ORDER BY d.id");
	if (!st)
		return sql_err(s, NULL, "prepare");
	json_t *a = json_array();
	int rc;
	sqlite3_bind_int64(st, 1, exec);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		json_t *d = json_loads((const char *)sqlite3_column_text(st, 0), 0, NULL);
		if (d) {
			json_object_set_new(d, "actor", json_string((const char *)sqlite3_column_text(st, 1)));
			json_array_append_new(a, d);
		}
	}
	return read_done(s, st, rc, a, ret);
}

int store_integrity_check(struct store *s, char **ret_msg)
{
	sqlite3_stmt *st = prep(s, "PRAGMA integrity_check");
	if (!st)
		return -EIO;
	struct buf b = {0};
	while (sqlite3_step(st) == SQLITE_ROW)
		buf_printf(&b, "%s%s", b.len ? "\n" : "", sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	char *m = buf_steal(&b);
	int r = strcmp(m, "ok") ? -EBADMSG : 0;
	if (ret_msg)
		*ret_msg = m;
	else
		free(m);
	return r;
}

/* The audit store: SQLite in WAL mode, schema migrations, batched writes, committed runs. */
#include "store.h"

#include <assert.h>
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
	sqlite3_stmt *st_msg, *st_log, *st_read; /* kept prepared: the per-message statements */
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

static int store_fail(struct store *s, int r);
static int tx_begin(struct store *s);

/*
 * The statement helper: every query of this file goes through it.
 *
 * The bound values are described by a string, one letter per parameter, in order:
 *   i int, I int64, d double, s text (NULL binds NULL), b blob (pointer, then size_t length),
 *   R a run id (int64; 0 or less binds NULL: rows of the broker's own)
 * Text and blobs are bound without a copy: they must live until the statement is reset or
 * finalized, which the helpers below do before they return.
 */
static void bind_va(sqlite3_stmt *st, const char *types, va_list ap)
{
	for (int i = 1; types && *types; types++, i++) {
		switch (*types) {
		case 'i': sqlite3_bind_int(st, i, va_arg(ap, int)); break;
		case 'I': sqlite3_bind_int64(st, i, va_arg(ap, int64_t)); break;
		case 'd': sqlite3_bind_double(st, i, va_arg(ap, double)); break;
		case 's': {
			const char *v = va_arg(ap, const char *);
			if (v)
				sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
			else
				sqlite3_bind_null(st, i);
			break;
		}
		case 'b': {
			const void *v = va_arg(ap, const void *);
			size_t len = va_arg(ap, size_t);
			sqlite3_bind_blob(st, i, v, (int)len, SQLITE_STATIC);
			break;
		}
		case 'R': {
			int64_t run = va_arg(ap, int64_t);
			if (run > 0)
				sqlite3_bind_int64(st, i, run);
			else
				sqlite3_bind_null(st, i);
			break;
		}
		default: assert(!"unknown bind type");
		}
	}
}

/* Prepare sql (or reuse the cached statement *cache) and bind the values. */
static int stmt_open(struct store *s, sqlite3_stmt **cache, sqlite3_stmt **ret, const char *sql, const char *types,
		     va_list ap)
{
	sqlite3_stmt *st = cache ? *cache : NULL;
	if (!st) {
		if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
			return sql_err(s, NULL, "prepare");
		if (cache)
			*cache = st;
	}
	bind_va(st, types, ap);
	*ret = st;
	return 0;
}

/* The end of a statement: finalize it (or reset a cached one) and turn rc into 0 or an error. */
static int stmt_close(struct store *s, sqlite3_stmt *st, bool cached, int rc, const char *what)
{
	int r = rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : sql_err(s, NULL, what);
	if (cached) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
	} else {
		sqlite3_finalize(st);
	}
	return r;
}

/* A write, inside the open batch: BEGIN when none is open, run once, and on an error leave the
 * store failed (sticky). cache: a statement kept for the next call, or NULL. */
static int sql_write(struct store *s, sqlite3_stmt **cache, const char *what, const char *sql, const char *types, ...)
{
	int r = tx_begin(s);
	if (r < 0)
		return r;
	sqlite3_stmt *st;
	va_list ap;
	va_start(ap, types);
	r = stmt_open(s, cache, &st, sql, types, ap);
	va_end(ap);
	if (r < 0)
		return store_fail(s, r);
	r = stmt_close(s, st, cache != NULL, sqlite3_step(st), what);
	return r < 0 ? store_fail(s, r) : 0;
}

/* A read: prepared and bound; the caller steps it and ends with sql_read_end(). */
static int sql_read(struct store *s, sqlite3_stmt **ret, const char *sql, const char *types, ...)
{
	va_list ap;
	va_start(ap, types);
	int r = stmt_open(s, NULL, ret, sql, types, ap);
	va_end(ap);
	return r;
}

/* The same with a statement kept in *cache for the next call; it ends with stmt_close(.., true, ..). */
static int sql_read_cached(struct store *s, sqlite3_stmt **cache, sqlite3_stmt **ret, const char *sql, const char *types,
			   ...)
{
	va_list ap;
	va_start(ap, types);
	int r = stmt_open(s, cache, ret, sql, types, ap);
	va_end(ap);
	return r;
}

/* The end of a read that stepped until rc: 0, or the error naming what was read. */
static int sql_read_end(struct store *s, sqlite3_stmt *st, int rc, const char *what)
{
	return stmt_close(s, st, false, rc, what);
}

/* The end of a read that built a JSON array: hands it over, or drops it on an error. */
static int sql_read_json(struct store *s, sqlite3_stmt *st, int rc, const char *what, json_t *a, json_t **ret)
{
	int r = sql_read_end(s, st, rc, what);
	if (r < 0) {
		json_decref(a);
		return r;
	}
	*ret = a;
	return 0;
}

/* The rows of sql (its one "?": the execution exec) as a JSON array: what row_cb makes of each
 * (NULL: the row is left out). what names the read in errors. */
static int read_rows_json(struct store *s, const char *sql, int64_t exec, json_t *(*row_cb)(sqlite3_stmt *st, void *ud),
			  void *ud, const char *what, json_t **ret)
{
	sqlite3_stmt *st;
	int r = sql_read(s, &st, sql, "I", exec);
	if (r < 0)
		return r;
	json_t *a = json_array();
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		json_t *o = row_cb(st, ud);
		if (o)
			json_array_append_new(a, o);
	}
	return sql_read_json(s, st, rc, what, a, ret);
}

static char *col_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? xstrdup((const char *)t) : NULL;
}

static int user_version(struct store *s, int *ret)
{
	sqlite3_stmt *st;
	int r = sql_read(s, &st, "PRAGMA user_version", "");
	if (r < 0)
		return r;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*ret = sqlite3_column_int(st, 0);
	r = sql_read_end(s, st, rc, "read the schema version");
	return r < 0 ? r : rc == SQLITE_ROW ? 0 : -EIO;
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
		if ((r = sql_read(s, &st, "SELECT count(*) FROM executions", "")) == 0)
			r = sql_read_end(s, st, sqlite3_step(st), "the database is damaged (left untouched)");
		if (r < 0) {
			if (ret_err)
				*ret_err = xstrdup(s->errmsg);
			store_close(s);
			return r == -EIO ? -EBADMSG : r;
		}
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
	char uuid[37];
	uuid_generate_str(uuid);
	double now = now_realtime();
	_cleanup_free_ char *cfg = config ? json_dumps(config, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	int r = sql_write(s, NULL, "record the execution",
			  "INSERT INTO executions(uuid, kind, cmdline, config, started) VALUES(?,?,?,?,?)", "ssssd", uuid,
			  kind, cmdline, cfg, now);
	if (r < 0)
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

/* One execution row by a query with one text parameter: 0, -ENOENT, or an error. */
static int execution_read(struct store *s, const char *sql, const char *arg, struct execution *ret)
{
	sqlite3_stmt *st;
	int r = sql_read(s, &st, sql, arg ? "s" : "", arg);
	if (r < 0)
		return r;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		fill_execution(st, ret);
	r = sql_read_end(s, st, rc, "read executions");
	return r < 0 ? r : rc == SQLITE_ROW ? 0 : -ENOENT;
}

int store_execution_last(struct store *s, const char *kind, struct execution *ret)
{
	return execution_read(s,
			      kind ? "SELECT " EXEC_COLS " FROM executions WHERE kind = ? ORDER BY id DESC LIMIT 1"
				   : "SELECT " EXEC_COLS " FROM executions ORDER BY id DESC LIMIT 1",
			      kind, ret);
}

int store_execution_get(struct store *s, const char *uuid, struct execution *ret)
{
	return execution_read(s, "SELECT " EXEC_COLS " FROM executions WHERE uuid = ?", uuid, ret);
}

int store_execution_update(struct store *s, int64_t id, const char *status, const char *next_phase, const char *boot_id,
			   bool finished)
{
	return sql_write(s, NULL, "update the execution",
			 "UPDATE executions SET status = coalesce(?, status), next_phase = ?, "
			 "boot_id = coalesce(?, boot_id), finished = CASE WHEN ? THEN ? ELSE finished END WHERE id = ?",
			 "sssidI", status, next_phase, boot_id, (int)finished, now_realtime(), id);
}

int store_executions_list(struct store *s, json_t **ret)
{
	sqlite3_stmt *st;
	int r = sql_read(s, &st, "SELECT " EXEC_COLS " FROM executions ORDER BY id", "");
	if (r < 0)
		return r;
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
	return sql_read_json(s, st, rc, "read executions", a, ret);
}

int store_run_new(struct store *s, int64_t exec, const char *actor, const char *phase, int phase_idx, int stage,
		  int position, int64_t *ret_run)
{
	int r = sql_write(s, NULL, "record the actor run",
			  "INSERT INTO actor_runs(execution, actor, phase, phase_idx, stage, position) VALUES(?,?,?,?,?,?)",
			  "Issiii", exec, actor, phase, phase_idx, stage, position);
	if (r < 0)
		return r;
	*ret_run = sqlite3_last_insert_rowid(s->db);
	return 0;
}

int store_run_started(struct store *s, int64_t run, int pid, double started)
{
	return sql_write(s, NULL, "record the start of the actor run", "UPDATE actor_runs SET pid = ?, started = ? WHERE id = ?",
			 "idI", pid, started, run);
}

int store_run_finished(struct store *s, int64_t run, const char *status, int exit_code, int signal, double duration,
		       int64_t peak_rss_kb, bool committed, const char *failure)
{
	return sql_write(s, NULL, "record the end of the actor run",
			 "UPDATE actor_runs SET status = ?, exit_code = ?, signal = ?, duration = ?, "
			 "peak_rss_kb = ?, committed = ?, failure = ?, ended = ? WHERE id = ?",
			 "siidIisdI", status, exit_code, signal, duration, peak_rss_kb, (int)committed, failure,
			 now_realtime(), run);
}

static json_t *row_run(sqlite3_stmt *st, void *ud)
{
	return json_pack("{s:I, s:s, s:s, s:i, s:i, s:i, s:f, s:f, s:i, s:i, s:I, s:s, s:b, s:s?}", "id",
			 (json_int_t)sqlite3_column_int64(st, 0), "actor", sqlite3_column_text(st, 1), "phase",
			 sqlite3_column_text(st, 2), "stage", sqlite3_column_int(st, 3), "position", sqlite3_column_int(st, 4),
			 "pid", sqlite3_column_int(st, 5), "started", sqlite3_column_double(st, 6), "duration",
			 sqlite3_column_double(st, 7), "exit_code", sqlite3_column_int(st, 8), "signal",
			 sqlite3_column_int(st, 9), "peak_rss_kb", (json_int_t)sqlite3_column_int64(st, 10), "status",
			 sqlite3_column_text(st, 11), "committed", sqlite3_column_int(st, 12), "failure",
			 sqlite3_column_text(st, 13));
}

int store_runs_list(struct store *s, int64_t exec, json_t **ret)
{
	return read_rows_json(s,
			      "SELECT id, actor, phase, stage, position, pid, started, duration, exit_code, signal, "
			      "peak_rss_kb, status, committed, failure FROM actor_runs WHERE execution = ? ORDER BY id",
			      exec, row_run, NULL, "read actor runs", ret);
}

/*
 * Delete the runs of exec that match cond (SQL over actor_runs, with ?2 bound to arg) and every
 * row they produced. Returns the number of runs deleted.
 */
static int delete_runs(struct store *s, int64_t exec, const char *cond, int arg)
{
	static const char *const tables[] = {"messages", "logs", "report_entries", "dialogs"};
	int r;
	for (size_t i = 0; i < ELEMENTSOF(tables); i++) {
		_cleanup_free_ char *sql = xasprintf(
			"DELETE FROM %s WHERE run IN (SELECT id FROM actor_runs WHERE execution = ?1 AND %s)", tables[i], cond);
		if ((r = sql_write(s, NULL, "delete actor runs", sql, "Ii", exec, arg)) < 0)
			return r;
	}
	_cleanup_free_ char *sql = xasprintf("DELETE FROM actor_runs WHERE execution = ?1 AND %s", cond);
	if ((r = sql_write(s, NULL, "delete actor runs", sql, "Ii", exec, arg)) < 0)
		return r;
	return sqlite3_changes(s->db);
}

int store_discard_uncommitted(struct store *s, int64_t exec)
{
	return delete_runs(s, exec, "committed = ?2", 0);
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
	for (size_t i = 0; i < ELEMENTSOF(sql); i++)
		if ((r = sql_write(s, NULL, "delete the execution", sql[i], "I", exec)) < 0)
			return r;
	return 0;
}

int store_run_committed(struct store *s, int64_t exec, const char *actor, const char *phase)
{
	sqlite3_stmt *st;
	int r = sql_read(s, &st, "SELECT 1 FROM actor_runs WHERE execution = ? AND actor = ? AND phase = ? AND committed = 1",
			 "Iss", exec, actor, phase);
	if (r < 0)
		return r;
	int rc = sqlite3_step(st);
	r = sql_read_end(s, st, rc, "read actor runs");
	return r < 0 ? r : rc == SQLITE_ROW;
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
	sqlite3_stmt *st;
	int r = sql_read(s, &st,
			 "SELECT id, actor, phase, status, committed, exit_code, signal FROM actor_runs "
			 "WHERE execution = ? AND committed = 0 AND status IN ('failed', 'killed') "
			 "ORDER BY id DESC LIMIT 1",
			 "I", exec);
	if (r < 0)
		return r;
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
	r = sql_read_end(s, st, rc, "read actor runs");
	if (r < 0 && rc == SQLITE_ROW)
		run_info_clear(ret);
	return r < 0 ? r : rc == SQLITE_ROW ? 0 : -ENOENT;
}

int store_message_add(struct store *s, int64_t exec, int64_t run, int64_t okey, const char *model, const char *topic,
		      const char *producer, const void *data, size_t len)
{
	char hash[65];
	sha256_hex(data, len, hash);
	return sql_write(s, &s->st_msg, "insert message",
			 "INSERT INTO messages(execution, run, okey, model, topic, producer, data, hash) VALUES(?,?,?,?,?,?,?,?)",
			 "IIIsssbs", exec, run, okey, model, topic, producer, data, len, hash);
}

int store_log_add(struct store *s, int64_t exec, int64_t run, const char *level, double ts, const char *msg)
{
	return sql_write(s, &s->st_log, "insert log", "INSERT INTO logs(execution, run, level, ts, message) VALUES(?,?,?,?,?)",
			 "IRsds", exec, run, level, ts, msg);
}

int store_report_add(struct store *s, int64_t exec, int64_t run, const char *origin, json_t *entry)
{
	_cleanup_free_ char *js = json_dumps(entry, JSON_COMPACT | JSON_PRESERVE_ORDER);
	return sql_write(s, NULL, "insert report entry",
			 "INSERT INTO report_entries(execution, run, origin, key, severity, title, entry) VALUES(?,?,?,?,?,?,?)",
			 "IRsssss", exec, run, origin, json_string_value(json_object_get(entry, "key")),
			 json_string_value(json_object_get(entry, "severity")),
			 json_string_value(json_object_get(entry, "title")), js);
}

int store_dialog_add(struct store *s, int64_t exec, int64_t run, json_t *dialog)
{
	_cleanup_free_ char *js = json_dumps(dialog, JSON_COMPACT | JSON_PRESERVE_ORDER);
	return sql_write(s, NULL, "insert dialog", "INSERT INTO dialogs(execution, run, scope, dialog) VALUES(?,?,?,?)", "IIss",
			 exec, run, json_string_value(json_object_get(dialog, "scope")), js);
}

int store_answers_set(struct store *s, int64_t exec, json_t *answers)
{
	_cleanup_free_ char *js = json_dumps(answers, JSON_COMPACT | JSON_SORT_KEYS);
	return sql_write(s, NULL, "insert answers", "INSERT INTO answers(execution, answers) VALUES(?,?)", "Is", exec, js);
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
	sqlite3_stmt *st;
	int r = sql_read_cached(s, &s->st_read, &st,
				 "SELECT m.okey, m.model, m.topic, m.producer, m.data FROM messages m "
				 "JOIN actor_runs r ON r.id = m.run "
				 "WHERE m.execution = ?1 AND r.committed = 1 AND m.okey > ?2 "
				 "AND m.model IN (SELECT value FROM json_each(?3)) ORDER BY m.okey LIMIT ?4",
				 "IIsi", exec, after_okey, mjs, limit);
	if (r < 0)
		return r;
	int n = 0, rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		cb(userdata, sqlite3_column_int64(st, 0), (const char *)sqlite3_column_text(st, 1),
		   (const char *)sqlite3_column_text(st, 2), (const char *)sqlite3_column_text(st, 3),
		   sqlite3_column_blob(st, 4), (size_t)sqlite3_column_bytes(st, 4));
		n++;
	}
	r = stmt_close(s, st, true, rc, "read messages");
	return r < 0 ? r : n;
}

int store_message_last(struct store *s, int64_t exec, const char *model, void **ret_data, size_t *ret_len)
{
	sqlite3_stmt *st;
	int r = sql_read(s, &st,
			 "SELECT m.data FROM messages m JOIN actor_runs r ON r.id = m.run "
			 "WHERE m.execution = ? AND r.committed = 1 AND m.model = ? ORDER BY m.okey DESC LIMIT 1",
			 "Is", exec, model);
	if (r < 0)
		return r;
	int rc = sqlite3_step(st);
	void *d = NULL;
	size_t n = 0;
	if (rc == SQLITE_ROW) {
		n = (size_t)sqlite3_column_bytes(st, 0);
		d = xmalloc(n);
		memcpy(d, sqlite3_column_blob(st, 0), n);
	}
	r = sql_read_end(s, st, rc, "read messages");
	if (r < 0 || rc != SQLITE_ROW) {
		free(d);
		return r < 0 ? r : -ENOENT;
	}
	*ret_data = d;
	*ret_len = n;
	return 0;
}

/* A stored message as JSON (null when its bytes do not unpack). */
static json_t *message_json(const void *data, size_t len)
{
	msgpack_zone z;
	msgpack_zone_init(&z, 4096);
	msgpack_object o;
	size_t off = 0;
	json_t *j = msgpack_unpack(data, len, &off, &z, &o) == MSGPACK_UNPACK_SUCCESS ? msgpack_to_json(&o) : json_null();
	msgpack_zone_destroy(&z);
	return j;
}

/* which models store_messages_json() wants (none: all) */
struct model_filter {
	char *const *models;
	size_t n;
};

static json_t *row_message(sqlite3_stmt *st, void *ud)
{
	const struct model_filter *f = ud;
	const char *model = (const char *)sqlite3_column_text(st, 0);
	bool want = f->n == 0;
	for (size_t i = 0; i < f->n && !want; i++)
		want = !strcmp(f->models[i], model);
	if (!want)
		return NULL;
	json_t *data = message_json(sqlite3_column_blob(st, 2), (size_t)sqlite3_column_bytes(st, 2));
	return json_pack("{s:s, s:s, s:o}", "model", model, "producer", (const char *)sqlite3_column_text(st, 1), "data",
			 data);
}

int store_messages_json(struct store *s, int64_t exec, char *const *models, size_t n_models, json_t **ret)
{
	struct model_filter f = {models, n_models};
	return read_rows_json(s,
			      "SELECT m.model, m.producer, m.data FROM messages m JOIN actor_runs r ON r.id = m.run "
			      "WHERE m.execution = ? AND r.committed = 1 ORDER BY m.okey",
			      exec, row_message, &f, "read messages", ret);
}

/* A row whose first column is a JSON object (a report entry), or NULL (skipped). */
static json_t *row_object(sqlite3_stmt *st, void *ud)
{
	return json_loads((const char *)sqlite3_column_text(st, 0), 0, NULL);
}

/* The same (a dialog), with the second column, the actor, set as its "actor". */
static json_t *row_object_actor(sqlite3_stmt *st, void *ud)
{
	json_t *o = row_object(st, ud);
	if (o)
		json_object_set_new(o, "actor", json_string((const char *)sqlite3_column_text(st, 1)));
	return o;
}

int store_reports(struct store *s, int64_t exec, json_t **ret)
{
	return read_rows_json(s,
			      "SELECT e.entry FROM report_entries e LEFT JOIN actor_runs r ON r.id = e.run "
			      "WHERE e.execution = ? AND (e.origin = 'broker' OR r.committed = 1) ORDER BY e.id",
			      exec, row_object, NULL, "read report entries", ret);
}

int store_dialogs(struct store *s, int64_t exec, json_t **ret)
{
	return read_rows_json(s,
			      "SELECT d.dialog, r.actor FROM dialogs d JOIN actor_runs r ON r.id = d.run "
			      "WHERE d.execution = ? AND r.committed = 1 ORDER BY d.id",
			      exec, row_object_actor, NULL, "read dialogs", ret);
}

int store_integrity_check(struct store *s, char **ret_msg)
{
	sqlite3_stmt *st;
	int r = sql_read(s, &st, "PRAGMA integrity_check", "");
	if (r < 0)
		return r;
	struct buf b = {0};
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		buf_printf(&b, "%s%s", b.len ? "\n" : "", sqlite3_column_text(st, 0));
	if ((r = sql_read_end(s, st, rc, "integrity_check")) < 0) {
		buf_free(&b);
		return r;
	}
	char *m = b.data ? buf_steal(&b) : xstrdup("");
	r = strcmp(m, "ok") ? -EBADMSG : 0;
	if (ret_msg)
		*ret_msg = m;
	else
		free(m);
	return r;
}

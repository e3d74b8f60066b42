/* Test-only fault injection for the audit store, loaded with LD_PRELOAD into build/leapp. */
/*
 * Nothing of this is in the leapp binary: the shim registers an SQLite VFS that wraps the
 * default one as the new default (so the store's database, WAL and journal files go through
 * it), and interposes sqlite3_step/sqlite3_exec so a test can fail one exact statement.
 *
 * LEAPP_FAULT (one fault):
 *   read@N, write@N, sync@N     the Nth xRead / xWrite / xSync (counted over every file of
 *                               the store) fails with an I/O error
 *   read@N+, write@N+, sync@N+  ... and every one after it (a disk that stays broken)
 *   full@N[+]                   the Nth xWrite fails with SQLITE_FULL (disk full)
 *   step:SQL@N[=CODE]           the Nth sqlite3_step of a statement whose SQL contains SQL
 *                               returns CODE without running (ioerr, busy, full; default ioerr)
 *   exec:SQL@N[=CODE]           the same for sqlite3_exec (e.g. exec:COMMIT@2=busy: the
 *                               second COMMIT is refused as SQLITE_BUSY, its transaction stays
 *                               open, as SQLite does)
 *   readonly@N                  from the Nth statement that writes on, every one that writes
 *                               fails with SQLITE_READONLY: the database made read-only mid-run
 * LEAPP_FAULT_LOG=FILE          appends "sync <file> <size>" after each successful xSync and
 *                               "fault <what>" when a fault is injected
 * sqlite3_errmsg/errcode report an injected error as SQLite would ("disk I/O error", ...).
 */
#include <dlfcn.h>
#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { F_NONE, F_READ, F_WRITE, F_SYNC, F_FULL, F_STEP, F_EXEC, F_RO };
static int fkind;
static long fnth;
static int fsticky;
static char fsql[256];
static int fcode = SQLITE_IOERR;
static long n_read, n_write, n_sync, n_sql;
static const char *flog;

/* the injected error of a statement, reported by the errmsg/errcode wrappers until the next call */
static sqlite3 *inj_db;
static int inj_code;

static void log_line(const char *what, const char *a, long long b)
{
	if (!flog)
		return;
	FILE *f = fopen(flog, "a");
	if (!f)
		return;
	fprintf(f, "%s %s %lld\n", what, a, b);
	fclose(f);
}

static int due(long *counter, int kind)
{
	long n = ++*counter;
	if (fkind != kind)
		return 0;
	return n == fnth || (fsticky && n > fnth);
}

/* ---- the VFS ---- */

struct ffile {
	sqlite3_file base;
	const char *name;
	sqlite3_file *real; /* follows this struct */
};

static sqlite3_vfs *real_vfs;
static sqlite3_vfs shim_vfs;

#define REAL(f) (((struct ffile *)(f))->real)

static int f_close(sqlite3_file *f)
{
	int rc = REAL(f)->pMethods ? REAL(f)->pMethods->xClose(REAL(f)) : SQLITE_OK;
	return rc;
}
static int f_read(sqlite3_file *f, void *b, int n, sqlite3_int64 off)
{
	if (due(&n_read, F_READ)) {
		log_line("fault", "read", n_read);
		return SQLITE_IOERR_READ;
	}
	return REAL(f)->pMethods->xRead(REAL(f), b, n, off);
}
static int f_write(sqlite3_file *f, const void *b, int n, sqlite3_int64 off)
{
	if (due(&n_write, fkind == F_FULL ? F_FULL : F_WRITE)) {
		log_line("fault", fkind == F_FULL ? "full" : "write", n_write);
		return fkind == F_FULL ? SQLITE_FULL : SQLITE_IOERR_WRITE;
	}
	return REAL(f)->pMethods->xWrite(REAL(f), b, n, off);
}
static int f_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	return REAL(f)->pMethods->xTruncate(REAL(f), size);
}
static int f_sync(sqlite3_file *f, int flags)
{
	if (due(&n_sync, F_SYNC)) {
		log_line("fault", "sync", n_sync);
		return SQLITE_IOERR_FSYNC;
	}
	int rc = REAL(f)->pMethods->xSync(REAL(f), flags);
	if (rc == SQLITE_OK && flog) {
		sqlite3_int64 size = 0;
		REAL(f)->pMethods->xFileSize(REAL(f), &size);
		log_line("sync", ((struct ffile *)f)->name, size);
	}
	return rc;
}
static int f_size(sqlite3_file *f, sqlite3_int64 *ret)
{
	return REAL(f)->pMethods->xFileSize(REAL(f), ret);
}
static int f_lock(sqlite3_file *f, int l)
{
	return REAL(f)->pMethods->xLock(REAL(f), l);
}
static int f_unlock(sqlite3_file *f, int l)
{
	return REAL(f)->pMethods->xUnlock(REAL(f), l);
}
static int f_check(sqlite3_file *f, int *ret)
{
	return REAL(f)->pMethods->xCheckReservedLock(REAL(f), ret);
}
static int f_fcntl(sqlite3_file *f, int op, void *arg)
{
	return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}
static int f_sector(sqlite3_file *f)
{
	return REAL(f)->pMethods->xSectorSize(REAL(f));
}
static int f_devchar(sqlite3_file *f)
{
	return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}
static int f_shmmap(sqlite3_file *f, int pg, int sz, int ext, void volatile **pp)
{
	return REAL(f)->pMethods->xShmMap(REAL(f), pg, sz, ext, pp);
}
static int f_shmlock(sqlite3_file *f, int off, int n, int flags)
{
	return REAL(f)->pMethods->xShmLock(REAL(f), off, n, flags);
}
static void f_shmbarrier(sqlite3_file *f)
{
	REAL(f)->pMethods->xShmBarrier(REAL(f));
}
static int f_shmunmap(sqlite3_file *f, int del)
{
	return REAL(f)->pMethods->xShmUnmap(REAL(f), del);
}
static int f_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **pp)
{
	/* no memory-mapped reads: every read goes through f_read */
	*pp = NULL;
	return SQLITE_OK;
}
static int f_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
	return SQLITE_OK;
}

static const sqlite3_io_methods shim_methods = {
	3,       f_close,    f_read,  f_write,      f_truncate,   f_sync,      f_size,    f_lock,  f_unlock, f_check,
	f_fcntl, f_sector,   f_devchar, f_shmmap,   f_shmlock,    f_shmbarrier, f_shmunmap, f_fetch, f_unfetch,
};

static int v_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out)
{
	struct ffile *ff = (struct ffile *)f;
	ff->real = (sqlite3_file *)(ff + 1);
	ff->name = name ? (strstr(name, "-wal") ? "wal" : strstr(name, "-journal") ? "journal" : "db") : "temp";
	int rc = real_vfs->xOpen(real_vfs, name, ff->real, flags, out);
	ff->base.pMethods = ff->real->pMethods ? &shim_methods : NULL;
	return rc;
}
static int v_delete(sqlite3_vfs *v, const char *n, int s)
{
	return real_vfs->xDelete(real_vfs, n, s);
}
static int v_access(sqlite3_vfs *v, const char *n, int fl, int *r)
{
	return real_vfs->xAccess(real_vfs, n, fl, r);
}
static int v_full(sqlite3_vfs *v, const char *n, int len, char *out)
{
	return real_vfs->xFullPathname(real_vfs, n, len, out);
}
static void *v_dlopen(sqlite3_vfs *v, const char *n)
{
	return real_vfs->xDlOpen(real_vfs, n);
}
static void v_dlerror(sqlite3_vfs *v, int n, char *m)
{
	real_vfs->xDlError(real_vfs, n, m);
}
static void (*v_dlsym(sqlite3_vfs *v, void *h, const char *s))(void)
{
	return real_vfs->xDlSym(real_vfs, h, s);
}
static void v_dlclose(sqlite3_vfs *v, void *h)
{
	real_vfs->xDlClose(real_vfs, h);
}
static int v_random(sqlite3_vfs *v, int n, char *out)
{
	return real_vfs->xRandomness(real_vfs, n, out);
}
static int v_sleep(sqlite3_vfs *v, int us)
{
	return real_vfs->xSleep(real_vfs, us);
}
static int v_time(sqlite3_vfs *v, double *t)
{
	return real_vfs->xCurrentTime(real_vfs, t);
}
static int v_lasterr(sqlite3_vfs *v, int n, char *m)
{
	return real_vfs->xGetLastError(real_vfs, n, m);
}
static int v_time64(sqlite3_vfs *v, sqlite3_int64 *t)
{
	return real_vfs->xCurrentTimeInt64(real_vfs, t);
}

static int code_of(const char *s)
{
	if (!strcmp(s, "busy"))
		return SQLITE_BUSY;
	if (!strcmp(s, "full"))
		return SQLITE_FULL;
	if (!strcmp(s, "readonly"))
		return SQLITE_READONLY;
	return SQLITE_IOERR;
}

__attribute__((constructor)) static void shim_init(void)
{
	const char *spec = getenv("LEAPP_FAULT");
	flog = getenv("LEAPP_FAULT_LOG");
	if (!spec && !flog)
		return;
	if (spec) {
		static const struct {
			const char *p;
			int k;
		} kinds[] = {{"read@", F_READ}, {"write@", F_WRITE}, {"sync@", F_SYNC}, {"full@", F_FULL},
			     {"step:", F_STEP}, {"exec:", F_EXEC},
			     {"readonly@", F_RO}};
		const char *at = NULL;
		for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
			if (!strncmp(spec, kinds[i].p, strlen(kinds[i].p))) {
				fkind = kinds[i].k;
				at = spec + strlen(kinds[i].p);
			}
		if (fkind == F_STEP || fkind == F_EXEC) {
			const char *a = strrchr(at, '@');
			if (!a || (size_t)(a - at) >= sizeof(fsql)) {
				fprintf(stderr, "faultshim: bad LEAPP_FAULT '%s'\n", spec);
				abort();
			}
			memcpy(fsql, at, (size_t)(a - at));
			at = a + 1;
		}
		if (!at) {
			fprintf(stderr, "faultshim: bad LEAPP_FAULT '%s'\n", spec);
			abort();
		}
		char *end;
		fnth = strtol(at, &end, 10);
		if (fkind == F_RO) {
			fsticky = 1;
			fcode = SQLITE_READONLY;
		}
		if (*end == '+') {
			fsticky = 1;
			end++;
		}
		if (*end == '=')
			fcode = code_of(end + 1);
	}
	real_vfs = sqlite3_vfs_find(NULL);
	shim_vfs = *real_vfs;
	shim_vfs.szOsFile = (int)sizeof(struct ffile) + real_vfs->szOsFile;
	shim_vfs.zName = "leapp-faultshim";
	shim_vfs.pAppData = NULL;
	shim_vfs.xOpen = v_open;
	shim_vfs.xDelete = v_delete;
	shim_vfs.xAccess = v_access;
	shim_vfs.xFullPathname = v_full;
	shim_vfs.xDlOpen = v_dlopen;
	shim_vfs.xDlError = v_dlerror;
	shim_vfs.xDlSym = v_dlsym;
	shim_vfs.xDlClose = v_dlclose;
	shim_vfs.xRandomness = v_random;
	shim_vfs.xSleep = v_sleep;
	shim_vfs.xCurrentTime = v_time;
	shim_vfs.xGetLastError = v_lasterr;
	shim_vfs.xCurrentTimeInt64 = v_time64;
	shim_vfs.iVersion = 2;
	sqlite3_vfs_register(&shim_vfs, 1);
}

/* with LEAPP_FAULT_LOG: how many of each call the process made, so a test can loop N over them */
__attribute__((destructor)) static void shim_fini(void)
{
	if (!flog || !real_vfs)
		return;
	FILE *f = fopen(flog, "a");
	if (!f)
		return;
	fprintf(f, "count read %ld write %ld sync %ld\n", n_read, n_write, n_sync);
	fclose(f);
}

/* ---- statements ---- */

static int sql_due(int kind, const char *sql)
{
	return fkind == kind && sql && strstr(sql, fsql) && due(&n_sql, kind);
}

static int exec_writes(const char *sql)
{
	return !strncmp(sql, "BEGIN", 5) || !strncmp(sql, "COMMIT", 6) || strstr(sql, "user_version=") ||
	       !strncmp(sql, "INSERT", 6) || !strncmp(sql, "UPDATE", 6) || !strncmp(sql, "DELETE", 6);
}

int sqlite3_step(sqlite3_stmt *st)
{
	static int (*real)(sqlite3_stmt *);
	if (!real)
		real = (int (*)(sqlite3_stmt *))dlsym(RTLD_NEXT, "sqlite3_step");
	sqlite3 *db = sqlite3_db_handle(st);
	if (db == inj_db)
		inj_db = NULL;
	if (sql_due(F_STEP, sqlite3_sql(st)) || (fkind == F_RO && !sqlite3_stmt_readonly(st) && due(&n_sql, F_RO))) {
		log_line("fault", fsql, n_sql);
		inj_db = db;
		inj_code = fcode;
		return fcode;
	}
	return real(st);
}

int sqlite3_exec(sqlite3 *db, const char *sql, int (*cb)(void *, int, char **, char **), void *arg, char **err)
{
	static int (*real)(sqlite3 *, const char *, int (*)(void *, int, char **, char **), void *, char **);
	if (!real)
		real = (int (*)(sqlite3 *, const char *, int (*)(void *, int, char **, char **), void *, char **))dlsym(
			RTLD_NEXT, "sqlite3_exec");
	if (db == inj_db)
		inj_db = NULL;
	if (sql_due(F_EXEC, sql) || (fkind == F_RO && sql && exec_writes(sql) && due(&n_sql, F_RO))) {
		log_line("fault", fsql, n_sql);
		inj_db = db;
		inj_code = fcode;
		if (err)
			*err = sqlite3_mprintf("%s", sqlite3_errstr(fcode));
		return fcode;
	}
	return real(db, sql, cb, arg, err);
}

const char *sqlite3_errmsg(sqlite3 *db)
{
	static const char *(*real)(sqlite3 *);
	if (!real)
		real = (const char *(*)(sqlite3 *))dlsym(RTLD_NEXT, "sqlite3_errmsg");
	return db && db == inj_db ? sqlite3_errstr(inj_code) : real(db);
}

int sqlite3_errcode(sqlite3 *db)
{
	static int (*real)(sqlite3 *);
	if (!real)
		real = (int (*)(sqlite3 *))dlsym(RTLD_NEXT, "sqlite3_errcode");
	return db && db == inj_db ? inj_code : real(db);
}

int sqlite3_extended_errcode(sqlite3 *db)
{
	static int (*real)(sqlite3 *);
	if (!real)
		real = (int (*)(sqlite3 *))dlsym(RTLD_NEXT, "sqlite3_extended_errcode");
	return db && db == inj_db ? inj_code : real(db);
}

/* The rpmdb read through librpm, read-only down to sqlite's side files (see rpmdb.h). */
#include "rpm.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <rpm/header.h>
#include <rpm/rpmdb.h>
#include <rpm/rpmlib.h>
#include <rpm/rpmlog.h>
#include <rpm/rpmmacro.h>
#include <rpm/rpmpgp.h>
#include <rpm/rpmtd.h>
#include <rpm/rpmts.h>
#include <sqlite3.h>

#include "leapp/util.h"

/*
 * ---- a read-only sqlite VFS ----
 *
 * librpm opens rpmdb.sqlite itself, with sqlite's default VFS. Even a read-only connection
 * of the stock "unix" VFS opens rpmdb.sqlite-wal and -shm read-write and writes read marks
 * and a rebuilt index header into -shm: `rpm -qa` changes the file. So while we read, the
 * default VFS is this wrapper around "unix":
 *   - the database, its WAL and journals are opened O_RDONLY, never created;
 *   - xShmMap answers SQLITE_READONLY_CANTINIT, which makes sqlite build the WAL index in
 *     heap memory from the WAL file (its documented path for a WAL database on read-only
 *     media), so -shm is never opened;
 *   - a WAL file that does not exist is replaced by an empty in-memory stand-in, so that a
 *     WAL-mode database without one still opens;
 *   - writes, truncation and deletes of those files are refused (or, for delete, skipped).
 * The price: we do not take part in sqlite's WAL locking, so a writer that checkpoints and
 * restarts the WAL while we read could make us see a torn state. leapp runs when no rpm
 * transaction does, and the sandbox makes the tree read-only anyway.
 */

struct ro_file {
	sqlite3_file base;
	bool readonly;   /* a file of the database (not a temp file of ours) */
	bool standin;    /* the empty stand-in for a missing WAL */
	long _align;
	/* the real VFS's file object follows */
};

static sqlite3_vfs *real_vfs;

static sqlite3_file *real_file(sqlite3_file *f)
{
	return (sqlite3_file *)((char *)f + sizeof(struct ro_file));
}

static int ro_close(sqlite3_file *f)
{
	sqlite3_file *r = real_file(f);
	return r->pMethods ? r->pMethods->xClose(r) : SQLITE_OK;
}

static int ro_read(sqlite3_file *f, void *buf, int amt, sqlite3_int64 off)
{
	sqlite3_file *r = real_file(f);
	return r->pMethods->xRead(r, buf, amt, off);
}

static int ro_write(sqlite3_file *f, const void *buf, int amt, sqlite3_int64 off)
{
	sqlite3_file *r = real_file(f);
	if (((struct ro_file *)f)->readonly)
		return SQLITE_READONLY;
	return r->pMethods->xWrite(r, buf, amt, off);
}

static int ro_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	sqlite3_file *r = real_file(f);
	if (((struct ro_file *)f)->readonly)
		return SQLITE_READONLY;
	return r->pMethods->xTruncate(r, size);
}

static int ro_sync(sqlite3_file *f, int flags)
{
	sqlite3_file *r = real_file(f);
	if (((struct ro_file *)f)->readonly)
		return SQLITE_OK; /* nothing was written */
	return r->pMethods->xSync(r, flags);
}

static int ro_file_size(sqlite3_file *f, sqlite3_int64 *ret)
{
	sqlite3_file *r = real_file(f);
	return r->pMethods->xFileSize(r, ret);
}

static int ro_lock(sqlite3_file *f, int level)
{
	sqlite3_file *r = real_file(f);
	/* a shared (read) lock changes nothing on disk; anything stronger is for writers */
	if (((struct ro_file *)f)->readonly && level > SQLITE_LOCK_SHARED)
		return SQLITE_BUSY;
	return r->pMethods->xLock(r, level);
}

static int ro_unlock(sqlite3_file *f, int level)
{
	sqlite3_file *r = real_file(f);
	return r->pMethods->xUnlock(r, level);
}

static int ro_check_reserved(sqlite3_file *f, int *ret)
{
	sqlite3_file *r = real_file(f);
	return r->pMethods->xCheckReservedLock(r, ret);
}

static int ro_file_control(sqlite3_file *f, int op, void *arg)
{
	sqlite3_file *r = real_file(f);
	return r->pMethods->xFileControl(r, op, arg);
}

static int ro_sector_size(sqlite3_file *f)
{
	sqlite3_file *r = real_file(f);
	return r->pMethods->xSectorSize(r);
}

static int ro_device_characteristics(sqlite3_file *f)
{
	sqlite3_file *r = real_file(f);
	return r->pMethods->xDeviceCharacteristics(r);
}

static int ro_shm_map(sqlite3_file *f, int pg, int pgsz, int extend, void volatile **pp)
{
	sqlite3_file *r = real_file(f);
	if (((struct ro_file *)f)->readonly) {
		*pp = NULL;
		return SQLITE_READONLY_CANTINIT;
	}
	return r->pMethods->xShmMap(r, pg, pgsz, extend, pp);
}

static int ro_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
	sqlite3_file *r = real_file(f);
	if (((struct ro_file *)f)->readonly)
		return SQLITE_OK; /* the heap-memory index is ours alone */
	return r->pMethods->xShmLock(r, offset, n, flags);
}

static void ro_shm_barrier(sqlite3_file *f)
{
	sqlite3_file *r = real_file(f);
	if (((struct ro_file *)f)->readonly) {
		__sync_synchronize();
		return;
	}
	r->pMethods->xShmBarrier(r);
}

static int ro_shm_unmap(sqlite3_file *f, int del)
{
	sqlite3_file *r = real_file(f);
	if (((struct ro_file *)f)->readonly)
		return SQLITE_OK;
	return r->pMethods->xShmUnmap(r, del);
}

/* version 2: no xFetch/xUnfetch, so sqlite never memory-maps the database */
static const sqlite3_io_methods ro_methods = {
	.iVersion = 2,
	.xClose = ro_close,
	.xRead = ro_read,
	.xWrite = ro_write,
	.xTruncate = ro_truncate,
	.xSync = ro_sync,
	.xFileSize = ro_file_size,
	.xLock = ro_lock,
	.xUnlock = ro_unlock,
	.xCheckReservedLock = ro_check_reserved,
	.xFileControl = ro_file_control,
	.xSectorSize = ro_sector_size,
	.xDeviceCharacteristics = ro_device_characteristics,
	.xShmMap = ro_shm_map,
	.xShmLock = ro_shm_lock,
	.xShmBarrier = ro_shm_barrier,
	.xShmUnmap = ro_shm_unmap,
};

/* the stand-in for a WAL file that does not exist: empty, unwritable */
static int empty_close(sqlite3_file *f) { return SQLITE_OK; }
static int empty_read(sqlite3_file *f, void *buf, int amt, sqlite3_int64 off)
{
	memset(buf, 0, (size_t)amt);
	return SQLITE_IOERR_SHORT_READ;
}
static int empty_write(sqlite3_file *f, const void *buf, int amt, sqlite3_int64 off) { return SQLITE_READONLY; }
static int empty_truncate(sqlite3_file *f, sqlite3_int64 size) { return SQLITE_READONLY; }
static int empty_sync(sqlite3_file *f, int flags) { return SQLITE_OK; }
static int empty_file_size(sqlite3_file *f, sqlite3_int64 *ret) { *ret = 0; return SQLITE_OK; }
static int empty_lock(sqlite3_file *f, int level) { return SQLITE_OK; }
static int empty_check_reserved(sqlite3_file *f, int *ret) { *ret = 0; return SQLITE_OK; }
static int empty_file_control(sqlite3_file *f, int op, void *arg) { return SQLITE_NOTFOUND; }
static int empty_sector_size(sqlite3_file *f) { return 512; }
static int empty_device_characteristics(sqlite3_file *f) { return 0; }

static const sqlite3_io_methods empty_methods = {
	.iVersion = 1,
	.xClose = empty_close,
	.xRead = empty_read,
	.xWrite = empty_write,
	.xTruncate = empty_truncate,
	.xSync = empty_sync,
	.xFileSize = empty_file_size,
	.xLock = empty_lock,
	.xUnlock = empty_lock,
	.xCheckReservedLock = empty_check_reserved,
	.xFileControl = empty_file_control,
	.xSectorSize = empty_sector_size,
	.xDeviceCharacteristics = empty_device_characteristics,
};

#define DB_FILE_FLAGS (SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_MAIN_JOURNAL | SQLITE_OPEN_WAL | SQLITE_OPEN_SUPER_JOURNAL)

static int ro_open(sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *f, int flags, int *out_flags)
{
	struct ro_file *rf = (struct ro_file *)f;
	memset(rf, 0, sizeof(*rf));
	real_file(f)->pMethods = NULL;
	if (flags & DB_FILE_FLAGS) {
		if ((flags & SQLITE_OPEN_WAL) && name && access(name, F_OK) < 0) {
			rf->standin = rf->readonly = true;
			rf->base.pMethods = &empty_methods;
			if (out_flags)
				*out_flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_WAL;
			return SQLITE_OK;
		}
		flags &= ~(SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_DELETEONCLOSE | SQLITE_OPEN_EXCLUSIVE);
		flags |= SQLITE_OPEN_READONLY;
		rf->readonly = true;
	}
	int rc = real_vfs->xOpen(real_vfs, name, real_file(f), flags, out_flags);
	if (rc != SQLITE_OK)
		return rc;
	rf->base.pMethods = &ro_methods;
	return SQLITE_OK;
}

/* sqlite deletes a WAL or journal it thinks is stale; a reader must not */
static int ro_delete(sqlite3_vfs *vfs, const char *name, int sync_dir)
{
	return SQLITE_OK;
}

static int ro_access(sqlite3_vfs *vfs, const char *name, int flags, int *ret)
{
	return real_vfs->xAccess(real_vfs, name, flags, ret);
}

static int ro_full_pathname(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
	return real_vfs->xFullPathname(real_vfs, name, n, out);
}

static sqlite3_vfs ro_vfs;

static int ro_vfs_push(void)
{
	if (sqlite3_initialize() != SQLITE_OK)
		return -EIO;
	if (!real_vfs) {
		real_vfs = sqlite3_vfs_find(NULL);
		if (!real_vfs)
			return -ENOSYS;
		ro_vfs = *real_vfs; /* randomness, sleep, time, dl*, syscalls: the real ones */
		ro_vfs.zName = "leapp-readonly";
		ro_vfs.pNext = NULL;
		ro_vfs.szOsFile = (int)sizeof(struct ro_file) + real_vfs->szOsFile;
		ro_vfs.xOpen = ro_open;
		ro_vfs.xDelete = ro_delete;
		ro_vfs.xAccess = ro_access;
		ro_vfs.xFullPathname = ro_full_pathname;
	}
	return sqlite3_vfs_register(&ro_vfs, 1) == SQLITE_OK ? 0 : -EIO;
}

static void ro_vfs_pop(void)
{
	if (real_vfs)
		sqlite3_vfs_register(real_vfs, 1);
	sqlite3_vfs_unregister(&ro_vfs);
}

/* ---- librpm ---- */

static char *rpm_last_error;

static int rpmlog_cb(rpmlogRec rec, rpmlogCallbackData data)
{
	if (rpmlogRecPriority(rec) <= RPMLOG_ERR) {
		free(rpm_last_error);
		rpm_last_error = xstrdup(rpmlogRecMessage(rec));
		str_strip(rpm_last_error);
	}
	return 0; /* librpm's own printing is not wanted: the caller reports */
}

static char *dup_or_null(const char *s)
{
	return s && *s ? xstrdup(s) : NULL;
}

static void lowercase(char *s)
{
	for (; s && *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

/* The first signature the header carries, in the order rpm itself prefers (header-only
 * signatures first, as leapp's query does). */
static void read_signature(Header h, struct rpmdb_pkg *p)
{
	static const rpmTagVal tags[] = {RPMTAG_DSAHEADER, RPMTAG_RSAHEADER, RPMTAG_SIGGPG, RPMTAG_SIGPGP};
	for (size_t i = 0; i < ELEMENTSOF(tags); i++) {
		struct rpmtd_s td;
		if (!headerGet(h, tags[i], &td, HEADERGET_MINMEM))
			continue;
		pgpDigParams params = NULL;
		if (td.type == RPM_BIN_TYPE && pgpPrtParams(td.data, td.count, PGPTAG_SIGNATURE, &params) == 0 && params) {
			const uint8_t *id = pgpDigParamsSignID(params);
			char hex[17];
			for (int k = 0; k < 8; k++)
				snprintf(hex + 2 * k, 3, "%02x", id[k]);
			p->key_id = xstrdup(hex);
			const char *ha = pgpValString(PGPVAL_HASHALGO, (uint8_t)pgpDigParamsAlgo(params, PGPVAL_HASHALGO));
			const char *pa = pgpValString(PGPVAL_PUBKEYALGO, (uint8_t)pgpDigParamsAlgo(params, PGPVAL_PUBKEYALGO));
			p->digest_algo = dup_or_null(ha);
			p->pubkey_algo = dup_or_null(pa);
			pgpDigParamsFree(params);
		}
		rpmtdFreeData(&td);
		if (p->key_id)
			break;
	}
	errmsg_t err = NULL;
	char *s = headerFormat(h,
			       "%|DSAHEADER?{%{DSAHEADER:pgpsig}}:{%|RSAHEADER?{%{RSAHEADER:pgpsig}}:{%|SIGGPG?{%{SIGGPG:pgpsig}}"
			       ":{%|SIGPGP?{%{SIGPGP:pgpsig}}:{(none)}|}|}|}|",
			       &err);
	if (s && strcmp(s, "(none)"))
		p->pgpsig = xstrdup(s);
	free(s);
}

static int cmp_pkg(const void *a, const void *b)
{
	const struct rpmdb_pkg *x = a, *y = b;
	int r = strcmp(x->name, y->name);
	if (!r)
		r = strcmp(x->version, y->version);
	if (!r)
		r = strcmp(x->release, y->release);
	if (!r)
		r = strcmp(x->arch, y->arch);
	return r;
}

/* Which database directory the root has: el8/el9 /var/lib/rpm, el10 /usr/lib/sysimage/rpm. */
static const char *find_dbpath(const char *root)
{
	static const char *const dirs[] = {"/var/lib/rpm", "/usr/lib/sysimage/rpm"};
	static const char *const files[] = {"rpmdb.sqlite", "Packages", "Packages.db"};
	for (size_t i = 0; i < ELEMENTSOF(dirs); i++)
		for (size_t k = 0; k < ELEMENTSOF(files); k++) {
			_cleanup_free_ char *d = path_join(root, dirs[i]);
			_cleanup_free_ char *f = path_join(d, files[k]);
			if (access(f, R_OK) == 0)
				return dirs[i];
		}
	return NULL;
}

int rpmdb_read_all(const char *root, struct rpmdb_pkgs *ret, char **ret_err)
{
	static bool configured;
	const char *dbpath = find_dbpath(root);
	if (!dbpath) {
		*ret_err = xasprintf("no rpm database in %s/var/lib/rpm or %s/usr/lib/sysimage/rpm", strcmp(root, "/") ? root : "",
				     strcmp(root, "/") ? root : "");
		return -ENOENT;
	}
	if (!configured) {
		if (rpmReadConfigFiles(NULL, NULL) != 0) {
			*ret_err = xstrdup("librpm: cannot read its configuration (rpmrc, macros)");
			return -EIO;
		}
		rpmlogSetCallback(rpmlog_cb, NULL);
		configured = true;
	}
	rpmPushMacro(NULL, "_dbpath", NULL, dbpath, RMIL_CMDLINE);
	int r = ro_vfs_push();
	if (r < 0) {
		*ret_err = xasprintf("sqlite: cannot install the read-only VFS: %s", strerror(-r));
		return r;
	}
	rpmts ts = rpmtsCreate();
	rpmtsSetRootDir(ts, root);
	/* headers are read, not verified: the signature facts come from the tags themselves */
	rpmtsSetVSFlags(ts, rpmtsVSFlags(ts) | _RPMVSF_NOSIGNATURES | _RPMVSF_NODIGESTS);
	free(rpm_last_error);
	rpm_last_error = NULL;
	if (rpmtsOpenDB(ts, O_RDONLY) != 0) {
		*ret_err = xasprintf("cannot open the rpm database %s%s: %s", strcmp(root, "/") ? root : "", dbpath,
				     rpm_last_error ? rpm_last_error : "librpm error");
		rpmtsFree(ts);
		ro_vfs_pop();
		rpmPopMacro(NULL, "_dbpath");
		return -EIO;
	}
	struct rpmdb_pkgs out = {0};
	size_t cap = 0;
	rpmdbMatchIterator mi = rpmtsInitIterator(ts, RPMDBI_PACKAGES, NULL, 0);
	Header h;
	while ((h = rpmdbNextIterator(mi))) {
		if (out.n == cap) {
			cap = cap ? cap * 2 : 256;
			out.v = xrealloc(out.v, cap * sizeof(*out.v));
		}
		struct rpmdb_pkg *p = &out.v[out.n++];
		memset(p, 0, sizeof(*p));
		p->name = xstrdup(headerGetString(h, RPMTAG_NAME) ?: "");
		p->version = xstrdup(headerGetString(h, RPMTAG_VERSION) ?: "");
		p->release = xstrdup(headerGetString(h, RPMTAG_RELEASE) ?: "");
		/* gpg-pubkey headers have no arch; rpm -q shows "(none)" */
		p->arch = xstrdup(headerGetString(h, RPMTAG_ARCH) ?: "noarch");
		p->epoch = (uint32_t)headerGetNumber(h, RPMTAG_EPOCH);
		p->vendor = dup_or_null(headerGetString(h, RPMTAG_VENDOR));
		p->packager = dup_or_null(headerGetString(h, RPMTAG_PACKAGER));
		p->modularitylabel = dup_or_null(headerGetString(h, RPMTAG_MODULARITYLABEL));
		p->install_time = (int64_t)headerGetNumber(h, RPMTAG_INSTALLTIME);
		read_signature(h, p);
		lowercase(p->key_id);
	}
	rpmdbFreeIterator(mi);
	rpmtsFree(ts);
	ro_vfs_pop();
	rpmPopMacro(NULL, "_dbpath");
	if (out.n)
		qsort(out.v, out.n, sizeof(*out.v), cmp_pkg);
	out.dbpath = xstrdup(dbpath);
	*ret = out;
	return 0;
}

void rpmdb_pkgs_clear(struct rpmdb_pkgs *ps)
{
	for (size_t i = 0; ps && i < ps->n; i++) {
		struct rpmdb_pkg *p = &ps->v[i];
		free(p->name);
		free(p->version);
		free(p->release);
		free(p->arch);
		free(p->vendor);
		free(p->packager);
		free(p->pgpsig);
		free(p->key_id);
		free(p->digest_algo);
		free(p->pubkey_algo);
		free(p->modularitylabel);
	}
	if (ps) {
		free(ps->v);
		free(ps->dbpath);
		memset(ps, 0, sizeof(*ps));
	}
}

json_t *rpmdb_pkg_to_json(const struct rpmdb_pkg *p)
{
	json_t *o = json_pack("{s:s, s:I, s:s, s:s, s:s, s:s?, s:s?, s:s?, s:s?, s:s?, s:I}", "name", p->name, "epoch",
			      (json_int_t)p->epoch, "version", p->version, "release", p->release, "arch", p->arch, "vendor",
			      p->vendor, "packager", p->packager, "pgpsig", p->pgpsig, "key_id", p->key_id, "digest_algo",
			      p->digest_algo, "install_time", (json_int_t)p->install_time);
	if (p->modularitylabel) {
		/* name:stream:version:context */
		_cleanup_free_ char *copy = xstrdup(p->modularitylabel);
		char *stream = strchr(copy, ':');
		if (stream) {
			*stream++ = 0;
			char *end = strchr(stream, ':');
			if (end)
				*end = 0;
			json_object_set_new(o, "module", json_string(copy));
			json_object_set_new(o, "stream", json_string(stream));
		}
	}
	return o;
}

char *rpmdb_pkg_nevra(const struct rpmdb_pkg *p)
{
	if (p->epoch)
		return xasprintf("%s-%u:%s-%s.%s", p->name, p->epoch, p->version, p->release, p->arch);
	return xasprintf("%s-%s-%s.%s", p->name, p->version, p->release, p->arch);
}

/* Rebuilding an rpmdb in the target's format, verified and swapped crash-safely (rpm.h). */
#include "rpm.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rpm/header.h>
#include <rpm/rpmdb.h>
#include <rpm/rpmlib.h>
#include <rpm/rpmmacro.h>
#include <rpm/rpmts.h>
#include <rpm/rpmcrypto.h>
#include <rpm/rpmpgp.h>
#include <sqlite3.h>

#include "leapp/util.h"

#define STAGE_SUFFIX "rebuilddb.leapp"
#define MARK_SUFFIX "rebuilddb.leapp.verified"
#define OLD_SUFFIX "old.leapp"
#define HOLD_LIMIT_SECONDS 600

const char *rpmrebuild_format(const char *dir)
{
	static const struct {
		const char *file, *format;
	} probes[] = {{"rpmdb.sqlite", "sqlite"}, {"Packages.db", "ndb"}, {"Packages", "bdb"}};
	for (size_t i = 0; i < ELEMENTSOF(probes); i++) {
		_cleanup_free_ char *p = path_join(dir, probes[i].file);
		if (access(p, F_OK) == 0)
			return probes[i].format;
	}
	return NULL;
}

const char *rpmrebuild_target_format(void)
{
	static char f[16];
	char *be = rpmExpand("%{?_db_backend}", NULL);
	snprintf(f, sizeof(f), "%s", !be || !*be || !strcmp(be, "bdb_ro") ? "sqlite" : strcmp(be, "bdb") ? be : "bdb");
	free(be);
	return f;
}

/* the backend librpm must be told to read a format with (bdb: only bdb_ro is built in) */
static const char *backend_of(const char *format)
{
	return format && !strcmp(format, "bdb") ? "bdb_ro" : format ? format : "sqlite";
}

/* the test hook described in rpm.h */
static void hold(const char *root, const char *stage)
{
	if (!getenv("LEAPP_DEVEL_REBUILD_HOLD"))
		return;
	_cleanup_free_ char *h = xasprintf("%s/var/tmp/rpmdb-rebuild.hold-%s", strcmp(root, "/") ? root : "", stage);
	if (access(h, F_OK) != 0)
		return;
	_cleanup_free_ char *at = xasprintf("%s/var/tmp/rpmdb-rebuild.at-%s", strcmp(root, "/") ? root : "", stage);
	_cleanup_close_ int fd = open(at, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	for (int i = 0; i < HOLD_LIMIT_SECONDS * 20 && access(h, F_OK) == 0; i++)
		usleep(50000);
}

static int fsync_path(const char *path, int flags)
{
	_cleanup_close_ int fd = open(path, flags | O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -errno;
	return fsync(fd) < 0 ? -errno : 0;
}

static int fsync_parent(const char *path)
{
	_cleanup_free_ char *d = xstrdup(path);
	char *slash = strrchr(d, '/');
	if (slash)
		*(slash == d ? slash + 1 : slash) = 0;
	return fsync_path(d, O_DIRECTORY);
}

/* every regular file of dir, then dir itself */
static int fsync_tree(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return -errno;
	struct dirent *de;
	int r = 0;
	while ((de = readdir(d)) && r == 0) {
		if (de->d_type != DT_REG)
			continue;
		_cleanup_free_ char *p = path_join(dir, de->d_name);
		r = fsync_path(p, 0);
	}
	closedir(d);
	return r < 0 ? r : fsync_path(dir, O_DIRECTORY);
}

/* sha256 of a header blob, lowercase hex (rpmio's digest: the crypto library's, not ours) */
static char *blob_digest(const void *blob, size_t len)
{
	DIGEST_CTX ctx = rpmDigestInit(PGPHASHALGO_SHA256, RPMDIGEST_NONE);
	rpmDigestUpdate(ctx, blob, len);
	char *hex = NULL;
	rpmDigestFinal(ctx, (void **)&hex, NULL, 1);
	return hex;
}

static void push_digest(char ***v, size_t *n, size_t *cap, char *hex)
{
	if (*n == *cap) {
		*cap = *cap ? 2 * *cap : 1024;
		*v = xrealloc(*v, *cap * sizeof(**v));
	}
	(*v)[(*n)++] = hex;
}

/*
 * The digests of a sqlite rpmdb, read with sqlite itself: the Packages table holds each header
 * blob as headerExport() wrote it, so its sha256 is the one librpm's re-export gives, at a third
 * of the cost (no header is parsed). This is how the rebuilt database is read back.
 */
static int sqlite_digests(const char *dir, char ***v, size_t *n, size_t *cap, char **ret_err)
{
	_cleanup_free_ char *uri = xasprintf("file:%s/rpmdb.sqlite?mode=ro", dir);
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db, "SELECT blob FROM Packages", -1, &st, NULL);
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		push_digest(v, n, cap, blob_digest(sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0)));
		rc = SQLITE_OK;
	}
	if (rc != SQLITE_DONE) {
		*ret_err = xasprintf("cannot read the rpm database %s/rpmdb.sqlite: %s", dir, db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_finalize(st);
		sqlite3_close(db);
		return -EIO;
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return 0;
}

int rpmrebuild_digests(const char *root, const char *dbpath, char ***ret_digests, size_t *ret_n, char **ret_err)
{
	int r = rpmenv_init(ret_err);
	if (r < 0)
		return r;
	_cleanup_free_ char *dir = path_join(root, dbpath);
	const char *format = rpmrebuild_format(dir);
	if (!format) {
		*ret_err = xasprintf("%s: no rpm database", dir);
		return -ENOENT;
	}
	char **v = NULL;
	size_t n = 0, cap = 0;
	if (!strcmp(format, "sqlite")) {
		if ((r = sqlite_digests(dir, &v, &n, &cap, ret_err)) == 0)
			goto done;
		for (size_t i = 0; i < n; i++)
			free(v[i]);
		free(v);
		return r;
	}
	rpmPushMacro(NULL, "_dbpath", NULL, dbpath, RMIL_CMDLINE);
	rpmPushMacro(NULL, "_db_backend", NULL, backend_of(format), RMIL_CMDLINE);
	rpmts ts = rpmtsCreate();
	rpmtsSetRootDir(ts, root);
	rpmtsSetVSFlags(ts, _RPMVSF_NOSIGNATURES | _RPMVSF_NODIGESTS);
	rpmenv_log_clear();
	if (rpmtsOpenDB(ts, O_RDONLY) != 0) {
		*ret_err = xasprintf("cannot open the rpm database %s (%s): %s", dir, format,
				     rpmenv_log_last() ? rpmenv_log_last() : "librpm error");
		r = -EIO;
	} else {
		rpmdbMatchIterator mi = rpmtsInitIterator(ts, RPMDBI_PACKAGES, NULL, 0);
		Header h;
		while ((h = rpmdbNextIterator(mi))) {
			unsigned int len = 0;
			void *blob = headerExport(h, &len);
			push_digest(&v, &n, &cap, blob_digest(blob, len));
			free(blob);
		}
		rpmdbFreeIterator(mi);
	}
	rpmtsFree(ts);
	rpmPopMacro(NULL, "_db_backend");
	rpmPopMacro(NULL, "_dbpath");
	if (r < 0) {
		for (size_t i = 0; i < n; i++)
			free(v[i]);
		free(v);
		return r;
	}
done:
	if (n)
		qsort(v, n, sizeof(*v), str_cmp_qsort);
	*ret_digests = v;
	*ret_n = n;
	return 0;
}

/* librpm's rebuild of root's dbpath into stage_rel (which must not exist) */
static int rebuild_into(const char *root, const char *dbpath, const char *from, const char *stage_rel, char **ret_err)
{
	rpmPushMacro(NULL, "_dbpath", NULL, dbpath, RMIL_CMDLINE);
	rpmPushMacro(NULL, "_dbpath_rebuild", NULL, stage_rel, RMIL_CMDLINE);
	rpmPushMacro(NULL, "_db_backend", NULL, rpmrebuild_target_format(), RMIL_CMDLINE);
	rpmts ts = rpmtsCreate();
	rpmtsSetRootDir(ts, root);
	/* the header digests are checked while reading (headerCheck); the signatures were checked
	 * when the packages were installed, and checking them needs the keyring of this very db */
	rpmtsSetVSFlags(ts, _RPMVSF_NOSIGNATURES);
	rpmenv_log_clear();
	int rc = rpmtsRebuildDB(ts);
	rpmtsFree(ts);
	rpmPopMacro(NULL, "_db_backend");
	rpmPopMacro(NULL, "_dbpath_rebuild");
	rpmPopMacro(NULL, "_dbpath");
	if (rc != 0) {
		*ret_err = xasprintf("librpm could not rebuild the rpm database %s%s (%s): %s", strcmp(root, "/") ? root : "",
				     dbpath, from, rpmenv_log_last() ? rpmenv_log_last() : "librpm error");
		return -EIO;
	}
	return 0;
}

/* the new database holds what the old one does: same count, same header blobs */
/*
 * The old database's digests are read by a child process while librpm rebuilds (both only read
 * the old database), so that the verification costs little more than reading the new one back:
 * the child writes "<count>\n" and the sorted digests, or "E <message>\n", into a pipe.
 */
struct old_reader {
	pid_t pid;
	int fd;
};

static void old_reader_start(const char *root, const char *dbpath, struct old_reader *o)
{
	int fds[2];
	o->pid = -1;
	o->fd = -1;
	if (pipe2(fds, O_CLOEXEC) < 0)
		return; /* read in the parent afterwards, see old_reader_finish */
	pid_t pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return;
	}
	if (pid == 0) {
		close(fds[0]);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		char **v = NULL, *err = NULL;
		size_t n = 0;
		struct buf b = {0};
		if (rpmrebuild_digests(root, dbpath, &v, &n, &err) < 0)
			buf_printf(&b, "E %s\n", err);
		else {
			buf_printf(&b, "%zu\n", n);
			for (size_t i = 0; i < n; i++)
				buf_printf(&b, "%s\n", v[i]);
		}
		for (size_t off = 0; off < b.len;) {
			ssize_t k = write(fds[1], b.data + off, b.len - off);
			if (k < 0 && errno == EINTR)
				continue;
			if (k <= 0)
				_exit(1);
			off += (size_t)k;
		}
		_exit(0);
	}
	close(fds[1]);
	o->pid = pid;
	o->fd = fds[0];
}

static void old_reader_kill(struct old_reader *o)
{
	if (o->pid > 0) {
		kill(o->pid, SIGKILL);
		while (waitpid(o->pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	if (o->fd >= 0)
		close(o->fd);
	o->pid = -1;
	o->fd = -1;
}

/* the child's digests; without a child (fork failed), the old database is read here */
static int old_reader_finish(struct old_reader *o, const char *root, const char *dbpath, char ***ret_v, size_t *ret_n,
			     char **ret_err)
{
	if (o->pid < 0)
		return rpmrebuild_digests(root, dbpath, ret_v, ret_n, ret_err);
	struct buf b = {0};
	char chunk[65536];
	ssize_t k;
	while ((k = read(o->fd, chunk, sizeof(chunk))) != 0) {
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			break;
		buf_append(&b, chunk, (size_t)k);
	}
	buf_append(&b, "", 1);
	int status = 0;
	while (waitpid(o->pid, &status, 0) < 0 && errno == EINTR)
		;
	close(o->fd);
	o->pid = -1;
	o->fd = -1;
	if (k < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0 || b.len < 2) {
		buf_free(&b);
		*ret_err = xasprintf("the reader of the old rpm database %s%s failed", root, dbpath);
		return -EIO;
	}
	if (b.data[0] == 'E') {
		*ret_err = xstrdup(str_strip(b.data + 2));
		buf_free(&b);
		return -EIO;
	}
	char *save = NULL, *line = strtok_r(b.data, "\n", &save);
	size_t n = line ? strtoul(line, NULL, 10) : 0, got = 0;
	char **v = xcalloc(n + 1, sizeof(char *));
	while (got < n && (line = strtok_r(NULL, "\n", &save)))
		v[got++] = xstrdup(line);
	buf_free(&b);
	if (got != n) {
		strv_free_n(v, got);
		*ret_err = xasprintf("the reader of the old rpm database %s%s stopped short", root, dbpath);
		return -EIO;
	}
	*ret_v = v;
	*ret_n = n;
	return 0;
}

static int verify(const char *root, const char *dbpath, const char *stage_rel, struct old_reader *old, size_t *ret_n,
		  char **ret_err)
{
	char **a = NULL, **b = NULL;
	size_t na = 0, nb = 0;
	int r = old_reader_finish(old, root, dbpath, &a, &na, ret_err);
	if (r < 0)
		return r;
	r = rpmrebuild_digests(root, stage_rel, &b, &nb, ret_err);
	if (r < 0) {
		strv_free_n(a, na);
		return r;
	}
	if (na != nb) {
		*ret_err = xasprintf("the rebuilt rpm database %s%s holds %zu packages, the old one %zu", root, stage_rel, nb, na);
		r = -EBADMSG;
	}
	for (size_t i = 0; r == 0 && i < na; i++)
		if (strcmp(a[i], b[i])) {
			*ret_err = xasprintf("the rebuilt rpm database %s%s differs from the old one: a header with sha256 %s "
					     "is not in it",
					     root, stage_rel, a[i]);
			r = -EBADMSG;
		}
	strv_free_n(a, na);
	strv_free_n(b, nb);
	*ret_n = na;
	return r;
}

/* the new directory gets the old one's mode and owner (rpm sets the files' own) */
static int copy_dir_attrs(const char *from, const char *to)
{
	struct stat st;
	if (stat(from, &st) < 0)
		return -errno;
	if (chmod(to, st.st_mode & 07777) < 0 || (chown(to, st.st_uid, st.st_gid) < 0 && errno != EPERM))
		return -errno;
	return 0;
}

/* steps 4 and 5 of rpm.h (rpmrebuild_run), from wherever an earlier run stopped */
static int finish_swap(const char *root, const char *db, const char *stage, const char *mark, const char *target,
		       char **ret_err)
{
	_cleanup_free_ char *old = xasprintf("%s" OLD_SUFFIX, db);
	const char *cur = rpmrebuild_format(db);
	int r;
	if (!cur || strcmp(cur, target)) {
		const char *staged = rpmrebuild_format(stage);
		if (!staged || strcmp(staged, target)) {
			*ret_err = xasprintf("%s says the rebuild was verified, but %s holds no %s database", mark, stage, target);
			return -EBADMSG;
		}
		if (!cur && access(old, F_OK) == 0)
			r = rename(stage, db) < 0 ? -errno : 0; /* the fallback stopped between its renames */
		else if (renameat2(AT_FDCWD, stage, AT_FDCWD, db, RENAME_EXCHANGE) == 0)
			r = 0;
		else if (errno == EINVAL || errno == ENOSYS || errno == EOPNOTSUPP) {
			r = rename(db, old) < 0 ? -errno : 0;
			if (r == 0)
				r = fsync_parent(db);
			if (r == 0)
				r = rename(stage, db) < 0 ? -errno : 0;
		} else
			r = -errno;
		if (r == 0)
			r = fsync_parent(db);
		if (r < 0) {
			*ret_err = xasprintf("cannot put the rebuilt rpm database %s in place of %s: %s", stage, db, strerror(-r));
			return r;
		}
		hold(root, "swapped");
	}
	/* the old database is in stage (exchanged) or old (renamed) */
	if ((r = rm_rf(stage)) < 0 || (r = rm_rf(old)) < 0) {
		*ret_err = xasprintf("cannot remove the old rpm database (%s): %s", stage, strerror(-r));
		return r;
	}
	if (unlink(mark) < 0 && errno != ENOENT) {
		r = -errno;
		*ret_err = xasprintf("cannot remove %s: %s", mark, strerror(-r));
		return r;
	}
	return fsync_parent(db);
}

static int write_mark(const char *mark, const char *from, const char *to, size_t n)
{
	_cleanup_free_ char *text = xasprintf("%s %s %zu\n", from, to, n);
	int r = write_file_atomic(mark, text, strlen(text), 0644);
	return r < 0 ? r : fsync_parent(mark);
}

/* where a rebuild stopped between the fallback's two renames, no directory holds a database */
static const char *marked_dbpath(const char *root)
{
	static const char *const dirs[] = {"/var/lib/rpm", "/usr/lib/sysimage/rpm"};
	for (size_t i = 0; i < ELEMENTSOF(dirs); i++) {
		_cleanup_free_ char *mark = xasprintf("%s%s" MARK_SUFFIX, strcmp(root, "/") ? root : "", dirs[i]);
		if (access(mark, F_OK) == 0)
			return dirs[i];
	}
	return NULL;
}

int rpmrebuild_run(const char *root, const char *dbpath, struct rpmrebuild_result *ret, char **ret_err)
{
	memset(ret, 0, sizeof(*ret));
	double t0 = now_monotonic();
	int r = rpmenv_init(ret_err);
	if (r < 0)
		return r;
	if (!dbpath)
		dbpath = rpmenv_dbpath(root) ?: marked_dbpath(root);
	if (!dbpath) {
		*ret_err = xasprintf("%s: no rpm database in /var/lib/rpm or /usr/lib/sysimage/rpm", root);
		return -ENOENT;
	}
	const char *target = rpmrebuild_target_format();
	_cleanup_free_ char *db = path_join(root, dbpath);
	_cleanup_free_ char *stage = xasprintf("%s" STAGE_SUFFIX, db);
	_cleanup_free_ char *stage_rel = xasprintf("%s" STAGE_SUFFIX, dbpath);
	_cleanup_free_ char *mark = xasprintf("%s" MARK_SUFFIX, db);
	ret->to = xstrdup(target);
	if (access(mark, F_OK) == 0) {
		/* complete and verified: only the swap (or its clean-up) is left */
		_cleanup_free_ char *text = NULL;
		char from[16] = "", to[16] = "";
		if (read_file(mark, 4096, &text, NULL) == 0)
			sscanf(text, "%15s %15s %zu", from, to, &ret->packages);
		ret->from = xstrdup(*from ? from : "?");
		ret->rebuilt = ret->resumed = true;
		r = finish_swap(root, db, stage, mark, target, ret_err);
		ret->seconds = now_monotonic() - t0;
		return r;
	}
	if (access(stage, F_OK) == 0) {
		/* an unfinished rebuild: the old database was not touched, start again */
		ret->resumed = true;
		if ((r = rm_rf(stage)) < 0) {
			*ret_err = xasprintf("cannot remove the unfinished rebuild %s: %s", stage, strerror(-r));
			return r;
		}
	}
	const char *from = rpmrebuild_format(db);
	if (!from) {
		*ret_err = xasprintf("%s: no rpm database", db);
		return -ENOENT;
	}
	ret->from = xstrdup(from);
	if (!strcmp(from, target)) {
		ret->seconds = now_monotonic() - t0;
		return 0;
	}
	hold(root, "start");
	double tr = now_monotonic();
	struct old_reader old;
	old_reader_start(root, dbpath, &old);
	if ((r = rebuild_into(root, dbpath, from, stage_rel, ret_err)) < 0) {
		old_reader_kill(&old);
		rm_rf(stage);
		return r;
	}
	ret->rebuild_seconds = now_monotonic() - tr;
	hold(root, "rebuilt");
	double tv = now_monotonic();
	if ((r = verify(root, dbpath, stage_rel, &old, &ret->packages, ret_err)) < 0) {
		rm_rf(stage);
		return r;
	}
	double ts = now_monotonic();
	ret->verify_seconds = ts - tv;
	if ((r = copy_dir_attrs(db, stage)) < 0 || (r = fsync_tree(stage)) < 0 ||
	    (r = write_mark(mark, from, target, ret->packages)) < 0) {
		*ret_err = xasprintf("cannot make the rebuilt rpm database %s durable: %s", stage, strerror(-r));
		return r;
	}
	hold(root, "verified");
	ret->rebuilt = true;
	r = finish_swap(root, db, stage, mark, target, ret_err);
	ret->sync_seconds = now_monotonic() - ts;
	ret->seconds = now_monotonic() - t0;
	return r;
}

void rpmrebuild_result_clear(struct rpmrebuild_result *r)
{
	if (!r)
		return;
	free(r->from);
	free(r->to);
	memset(r, 0, sizeof(*r));
}

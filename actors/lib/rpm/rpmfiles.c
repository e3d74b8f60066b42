/* Per-file rpmdb facts: whether a file still has the contents its package installed. */
#include "rpm.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <rpm/header.h>
#include <rpm/rpmcrypto.h>
#include <rpm/rpmdb.h>
#include <rpm/rpmfi.h>
#include <rpm/rpmlib.h>
#include <rpm/rpmmacro.h>
#include <rpm/rpmts.h>

#include "leapp/util.h"

#define RPMFILES_MAX_SIZE (64u << 20)

static const char *rpmfiles_dbpath(const char *root)
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

/* The hex digest of the file's contents with algo, or NULL when it cannot be read. */
static char *file_digest_hex(const char *full, int algo)
{
	_cleanup_free_ char *data = NULL;
	size_t len;
	if (read_file(full, RPMFILES_MAX_SIZE, &data, &len) < 0)
		return NULL;
	DIGEST_CTX ctx = rpmDigestInit(algo, RPMDIGEST_NONE);
	if (!ctx)
		return NULL;
	rpmDigestUpdate(ctx, data, len);
	char *hex = NULL;
	rpmDigestFinal(ctx, (void **)&hex, NULL, 1);
	return hex;
}

/* Compare the file fi points at with root + path. */
static bool fi_differs(rpmfi fi, const char *full)
{
	struct stat st;
	if (lstat(full, &st) < 0)
		return true;
	rpm_mode_t mode = rpmfiFMode(fi);
	if (S_ISLNK(mode)) {
		char buf[4096];
		ssize_t n = readlink(full, buf, sizeof(buf) - 1);
		if (n < 0)
			return true;
		buf[n] = 0;
		return strcmp(buf, rpmfiFLink(fi) ?: "") != 0;
	}
	if (!S_ISREG(mode) || !S_ISREG(st.st_mode))
		return (mode & S_IFMT) != (st.st_mode & S_IFMT);
	if ((rpm_loff_t)st.st_size != rpmfiFSize(fi))
		return true;
	int algo = 0;
	_cleanup_free_ char *want = rpmfiFDigestHex(fi, &algo);
	if (!want || !*want)
		return false; /* %ghost or no digest: nothing to compare */
	_cleanup_free_ char *have = file_digest_hex(full, algo);
	return !have || strcmp(have, want) != 0;
}

/* Open root's rpmdb read-only with the right %_dbpath; pushes the macro (pop it with close). */
static int db_open(const char *root, rpmts *ret)
{
	const char *dbpath = rpmfiles_dbpath(root);
	if (!dbpath)
		return -ENOENT;
	/* librpm's configuration, its messages kept out of the console (a BerkeleyDB rpmdb is
	 * read through bdb_ro, which warns) */
	_cleanup_free_ char *err = NULL;
	if (rpmenv_init(&err) < 0)
		return -EIO;
	rpmPushMacro(NULL, "_dbpath", NULL, dbpath, RMIL_CMDLINE);
	rpmts ts = rpmtsCreate();
	rpmtsSetRootDir(ts, root);
	rpmtsSetVSFlags(ts, rpmtsVSFlags(ts) | _RPMVSF_NOSIGNATURES | _RPMVSF_NODIGESTS);
	if (rpmtsOpenDB(ts, O_RDONLY) != 0) {
		rpmtsFree(ts);
		rpmPopMacro(NULL, "_dbpath");
		return -EIO;
	}
	*ret = ts;
	return 0;
}

static void db_close(rpmts ts)
{
	rpmtsFree(ts);
	rpmPopMacro(NULL, "_dbpath");
}

int rpmdb_paths_owned(const char *root, const char *const *paths, size_t n, bool *ret_owned)
{
	for (size_t i = 0; i < n; i++)
		ret_owned[i] = false;
	rpmts ts;
	int r = db_open(root, &ts);
	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++) {
		rpmdbMatchIterator mi = rpmtsInitIterator(ts, RPMDBI_INSTFILENAMES, paths[i], 0);
		ret_owned[i] = mi && rpmdbGetIteratorCount(mi) > 0;
		rpmdbFreeIterator(mi);
	}
	db_close(ts);
	return 0;
}

int rpmdb_file_modified(const char *root, const char *path, char **ret_pkg, bool *ret_modified)
{
	rpmts ts;
	int r = db_open(root, &ts);
	if (r < 0)
		return r;
	r = -ENOENT;
	rpmdbMatchIterator mi = rpmtsInitIterator(ts, RPMDBI_INSTFILENAMES, path, 0);
	Header h = mi ? rpmdbNextIterator(mi) : NULL;
	if (h) {
		rpmfi fi = rpmfiNew(ts, h, RPMTAG_BASENAMES, RPMFI_FLAGS_QUERY);
		_cleanup_free_ char *full = path_join(root, path);
		while (fi && rpmfiNext(fi) >= 0) {
			if (strcmp(rpmfiFN(fi), path))
				continue;
			bool modified = fi_differs(fi, full);
			if (ret_pkg)
				*ret_pkg = xstrdup(headerGetString(h, RPMTAG_NAME) ?: "");
			*ret_modified = modified;
			r = 0;
			break;
		}
		rpmfiFree(fi);
	}
	rpmdbFreeIterator(mi);
	db_close(ts);
	return r;
}

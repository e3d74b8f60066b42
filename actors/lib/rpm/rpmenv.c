/* librpm set-up for the package code: configuration once, captured log, rpmdb copies. */
#include "rpm.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>

#include <rpm/rpmlib.h>
#include <rpm/rpmlog.h>

#include "leapp/util.h"

static struct {
	bool configured;
	struct buf log;
	char *last;
	void (*forward)(int, const char *, void *);
	void *forward_data;
} E;

/* librpm prints to stderr by default; an actor's stderr is not its log, and the messages
 * belong in the error that names the package, so they are kept here. */
static int log_cb(rpmlogRec rec, rpmlogCallbackData data)
{
	rpmlogLvl lvl = rpmlogRecPriority(rec);
	const char *msg = rpmlogRecMessage(rec);
	if (!msg)
		return 0;
	size_t n = strlen(msg);
	while (n && msg[n - 1] == '\n')
		n--;
	if (E.forward) {
		_cleanup_free_ char *line = xstrndup(msg, n);
		E.forward((int)lvl, line, E.forward_data);
	}
	if (lvl > RPMLOG_WARNING)
		return 0;
	/* bounded: a transaction can log a line per file */
	if (E.log.len < (1 << 20)) {
		buf_append(&E.log, msg, n);
		buf_append(&E.log, "\n", 1);
	}
	free(E.last);
	E.last = xstrndup(msg, n);
	return 0;
}

int rpmenv_init(char **ret_err)
{
	if (E.configured)
		return 0;
	if (rpmReadConfigFiles(NULL, NULL) != 0) {
		*ret_err = xstrdup("librpm: cannot read its configuration (rpmrc, macros)");
		return -EIO;
	}
	rpmlogSetCallback(log_cb, NULL);
	E.configured = true;
	return 0;
}

const char *rpmenv_log(void)
{
	if (!E.log.len)
		return "";
	buf_reserve(&E.log, 1);
	E.log.data[E.log.len] = 0;
	return E.log.data;
}

const char *rpmenv_log_last(void)
{
	return E.last;
}

void rpmenv_log_clear(void)
{
	E.log.len = 0;
	free(E.last);
	E.last = NULL;
}

void rpmenv_log_forward(void (*cb)(int, const char *, void *), void *userdata)
{
	E.forward = cb;
	E.forward_data = userdata;
}

const char *rpmenv_dbpath(const char *root)
{
	static const char *const dirs[] = {"/var/lib/rpm", "/usr/lib/sysimage/rpm"};
	static const char *const files[] = {"rpmdb.sqlite", "Packages", "Packages.db", "data.mdb"};
	for (size_t d = 0; d < ELEMENTSOF(dirs); d++)
		for (size_t f = 0; f < ELEMENTSOF(files); f++) {
			_cleanup_free_ char *dir = path_join(root, dirs[d]);
			_cleanup_free_ char *p = path_join(dir, files[f]);
			if (access(p, R_OK) == 0)
				return dirs[d];
		}
	return NULL;
}

int rpmenv_copy_file(const char *src, const char *dst)
{
	_cleanup_close_ int in = open(src, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (in < 0)
		return -errno;
	struct stat st;
	if (fstat(in, &st) < 0)
		return -errno;
	_cleanup_close_ int out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (out < 0)
		return -errno;
	off_t left = st.st_size;
	while (left > 0) {
		ssize_t n = sendfile(out, in, NULL, left > (1 << 30) ? (1 << 30) : (size_t)left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EINVAL || errno == ENOSYS)) {
			/* a filesystem sendfile does not serve: plain copy */
			char b[65536];
			ssize_t k;
			while ((k = read(in, b, sizeof(b))) > 0)
				if (write(out, b, (size_t)k) != k)
					return errno ? -errno : -EIO;
			if (k < 0)
				return -errno;
			break;
		}
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		left -= n;
	}
	if (close(TAKE_FD(out)) < 0)
		return -errno;
	return 0;
}

int rpmenv_rpmdb_copy(const char *root, const char *parent, char **ret_dir, char **ret_err)
{
	const char *dbpath = rpmenv_dbpath(root);
	if (!dbpath) {
		*ret_err = xasprintf("%s: no rpm database in /var/lib/rpm or /usr/lib/sysimage/rpm", root);
		return -ENOENT;
	}
	int r = mkdir_p(parent, 0700);
	if (r < 0) {
		*ret_err = xasprintf("cannot create %s: %s", parent, strerror(-r));
		return r;
	}
	_cleanup_free_ char *dir = path_join(parent, "/rpmdb.XXXXXX");
	if (!mkdtemp(dir)) {
		r = -errno;
		*ret_err = xasprintf("cannot create a directory for a copy of the rpm database in %s: %s", parent,
				     strerror(-r));
		return r;
	}
	_cleanup_free_ char *src = path_join(root, dbpath);
	if ((r = rpmenv_copy_db_files(src, dir, ret_err)) < 0) {
		rm_rf(dir);
		return r;
	}
	*ret_dir = TAKE_PTR(dir);
	return 0;
}

int rpmenv_copy_db_files(const char *src, const char *dst, char **ret_err)
{
	DIR *d = opendir(src);
	if (!d) {
		int r = -errno;
		*ret_err = xasprintf("%s: %s", src, strerror(-r));
		return r;
	}
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || str_startswith(de->d_name, "__db."))
			continue;
		_cleanup_free_ char *f = path_join(src, de->d_name);
		struct stat st;
		if (lstat(f, &st) < 0 || !S_ISREG(st.st_mode))
			continue;
		_cleanup_free_ char *t = path_join(dst, de->d_name);
		int r = rpmenv_copy_file(f, t);
		if (r < 0) {
			*ret_err = xasprintf("cannot copy %s to %s: %s", f, t, strerror(-r));
			closedir(d);
			return r;
		}
	}
	closedir(d);
	return 0;
}

char *rpmenv_in_root(const char *root, const char *p)
{
	if (!root || !strcmp(root, "/"))
		return xstrdup(p);
	size_t l = strlen(root);
	while (l > 1 && root[l - 1] == '/')
		l--;
	if (!strncmp(p, root, l) && (p[l] == '/' || p[l] == 0))
		return xstrdup(p[l] ? p + l : "/");
	return xstrdup(p);
}

/* The broker's own files in leapp's directories: no symlink followed, nothing planted used. */
#include "brokerfs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "leapp/util.h"

static const char *const logfiles[] = {"transaction.json"};

bool brokerfs_logfile_allowed(const char *name)
{
	for (size_t i = 0; i < ELEMENTSOF(logfiles); i++)
		if (name && !strcmp(name, logfiles[i]))
			return true;
	return false;
}

static const char *kind_of(mode_t m)
{
	return S_ISLNK(m) ? "a symlink" : S_ISFIFO(m) ? "a FIFO" : S_ISDIR(m) ? "a directory" : S_ISSOCK(m) ? "a socket"
	       : S_ISCHR(m) || S_ISBLK(m)           ? "a device"
	       : S_ISREG(m)                          ? "a hard link to another file"
						     : "not a regular file";
}

/* Renames dirfd/name to name.refused-<time>[-n]; adds a line to *note. */
static int refuse(int dirfd, const char *dir, const char *name, const struct stat *st, struct buf *note)
{
	for (int n = 0; n < 100; n++) {
		char *to = n ? xasprintf("%s.refused-%lld-%d", name, (long long)time(NULL), n)
			     : xasprintf("%s.refused-%lld", name, (long long)time(NULL));
		int r = renameat2(dirfd, name, dirfd, to, RENAME_NOREPLACE);
		if (r == 0) {
			buf_printf(note, "%s%s/%s was %s, which leapp did not create: moved to %s", note->len ? "\n" : "", dir,
				   name, kind_of(st->st_mode), to);
			free(to);
			return 0;
		}
		free(to);
		if (errno != EEXIST)
			return -errno;
	}
	return -EEXIST;
}

int brokerfs_open_log(const char *dir, const char *name, char **ret_note)
{
	_cleanup_close_ int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0)
		return -errno;
	struct buf note = {0};
	for (int attempt = 0; attempt < 3; attempt++) {
		/* O_NONBLOCK: opening a FIFO without a reader fails (ENXIO) instead of hanging */
		int fd = openat(dfd, name, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY, 0600);
		struct stat st;
		if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_nlink == 1) {
			int fl = fcntl(fd, F_GETFL);
			if (fl >= 0)
				fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
			*ret_note = note.len ? buf_steal(&note) : NULL;
			return fd;
		}
		int e = fd < 0 ? errno : 0;
		if (fd >= 0)
			close(fd);
		if (fd < 0 && e != ELOOP && e != ENXIO && e != EISDIR && e != EACCES && e != ENOTDIR) {
			buf_free(&note);
			return -e;
		}
		if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0 || refuse(dfd, dir, name, &st, &note) < 0) {
			buf_free(&note);
			return -EPERM;
		}
	}
	buf_free(&note);
	return -EPERM;
}

int brokerfs_check_dir(const char *dir, char **ret_err)
{
	struct stat st;
	if (lstat(dir, &st) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (S_ISDIR(st.st_mode))
		return 0;
	*ret_err = xasprintf("%s is %s, not a directory: refusing to use it (remove it if leapp should create it)", dir,
			     kind_of(st.st_mode));
	return -ELOOP;
}

int brokerfs_check_store(const char *statedir, bool move_aside, char **ret_note, char **ret_err)
{
	_cleanup_close_ int dfd = open(statedir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0)
		return errno == ENOENT ? 0 : -errno;
	struct stat st;
	if (fstatat(dfd, "leapp.db", &st, AT_SYMLINK_NOFOLLOW) == 0 && (!S_ISREG(st.st_mode) || st.st_nlink != 1)) {
		*ret_err = xasprintf("%s/leapp.db is %s: refusing to open it as leapp's store", statedir, kind_of(st.st_mode));
		return -EPERM;
	}
	static const char *const side[] = {"leapp.db-journal", "leapp.db-wal", "leapp.db-shm"};
	struct buf note = {0};
	for (size_t i = 0; i < ELEMENTSOF(side); i++) {
		if (fstatat(dfd, side[i], &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		bool journal = i == 0;
		if (!journal && S_ISREG(st.st_mode) && st.st_nlink == 1)
			continue;
		/* the broker's own placeholder (brokerfs_store_placeholder); a running leapp's stays */
		bool placeholder = journal && S_ISREG(st.st_mode) && st.st_nlink == 1 && st.st_size == 0;
		if (placeholder && (!move_aside || unlinkat(dfd, side[i], 0) == 0))
			continue;
		if (!move_aside) {
			*ret_err = xasprintf("%s/%s is %s, which leapp did not leave there: refusing to open the store "
					     "beside it while another leapp runs (run the command again once it is done)",
					     statedir, side[i], journal && S_ISREG(st.st_mode) ? "a rollback journal" : kind_of(st.st_mode));
			buf_free(&note);
			return -EPERM;
		}
		int r = refuse(dfd, statedir, side[i], &st, &note);
		if (r < 0) {
			*ret_err = xasprintf("%s/%s: cannot move it aside: %s", statedir, side[i], strerror(-r));
			buf_free(&note);
			return r;
		}
		if (journal)
			buf_printf(&note, " (the store runs in WAL mode and never leaves a rollback journal)");
	}
	*ret_note = note.len ? buf_steal(&note) : NULL;
	return 0;
}

int brokerfs_store_placeholder(const char *statedir)
{
	_cleanup_close_ int dfd = open(statedir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0)
		return -errno;
	int fd = openat(dfd, "leapp.db-journal", O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return errno == EEXIST ? 0 : -errno;
	close(fd);
	return 0;
}

int brokerfs_write_logfile(const char *logdir, const char *name, const char *content, char **ret_err)
{
	if (!brokerfs_logfile_allowed(name)) {
		*ret_err = xasprintf("%s: not a file the broker writes for actors", name ? name : "(null)");
		return -EPERM;
	}
	_cleanup_close_ int dfd = open(logdir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0) {
		*ret_err = xasprintf("cannot open %s: %s", logdir, strerror(errno));
		return -errno;
	}
	int r;
	if (!content) {
		r = unlinkat(dfd, name, 0) < 0 && errno != ENOENT ? -errno : 0;
	} else {
		r = write_file_atomic_at(dfd, name, content, strlen(content), 0644);
	}
	if (r < 0)
		*ret_err = xasprintf("cannot %s %s/%s: %s", content ? "write" : "remove", logdir, name, strerror(-r));
	return r;
}

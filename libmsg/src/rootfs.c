/* Paths resolved inside a root: openat2(RESOLVE_IN_ROOT), or the same walk in user space. */
#include "leapp/rootfs.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "leapp/util.h"

#ifndef SYS_openat2
#define SYS_openat2 437
#endif
#ifndef RESOLVE_IN_ROOT
#define RESOLVE_IN_ROOT 0x10
#endif

#define MAX_SYMLINKS 40 /* the kernel's limit (MAXSYMLINKS) */
#define MAX_DEPTH 256

struct open_how_compat {
	uint64_t flags, mode, resolve;
};

/* 0 unknown, 1 the kernel has it, -1 it has not (or the walk is forced) */
static int have_openat2;

void rootfs_force_walk(bool on)
{
	have_openat2 = on ? -1 : 0;
}

static int try_openat2(int root_fd, const char *path, int flags, mode_t mode)
{
	if (have_openat2 == 0) {
		const char *e = getenv("LEAPP_ROOTFS_NO_OPENAT2");
		if (e && !strcmp(e, "1"))
			have_openat2 = -1;
	}
	if (have_openat2 < 0)
		return -ENOSYS;
	struct open_how_compat how = {.flags = (uint64_t)(unsigned)flags,
				      .mode = flags & (O_CREAT | O_TMPFILE) ? mode : 0,
				      .resolve = RESOLVE_IN_ROOT};
	long fd = syscall(SYS_openat2, root_fd, path, &how, sizeof(how));
	if (fd >= 0) {
		have_openat2 = 1;
		return (int)fd;
	}
	/* ENOSYS: before 5.6; EPERM: a seccomp filter that does not know it; E2BIG: a struct the
	 * kernel does not know. Anything else is the answer. */
	if (have_openat2 == 0 && (errno == ENOSYS || errno == EPERM || errno == E2BIG)) {
		have_openat2 = -1;
		return -ENOSYS;
	}
	return -errno;
}

/* The walk. A stack of directory fds from the root (fds[0], not ours to close) down to the
 * current directory; ".." pops (and stays at the root); a symlink's target is put in front of
 * what is left of the path, an absolute one starting again at the root. With ret_path, no file is
 * opened: the resolved path is returned instead (a missing last component kept as it is). */
struct walk {
	int fds[MAX_DEPTH];
	size_t n;
	struct buf path; /* the resolved path, "/a/b" */
	size_t lens[MAX_DEPTH]; /* path.len at each depth */
};

static void walk_pop_all(struct walk *w)
{
	while (w->n > 1)
		close(w->fds[--w->n]);
	w->path.len = 0;
}

static int walk(int root_fd, const char *path, int flags, mode_t mode, char **ret_path)
{
	struct walk w = {.n = 1};
	w.fds[0] = root_fd;
	w.lens[0] = 0;
	char *rest = xstrdup(path);
	int links = 0, r = -EINVAL;
	for (;;) {
		/* the next component */
		char *p = rest;
		while (*p == '/')
			p++;
		if (!*p) {
			/* the path ended on a directory ("/", "a/", "a/.."): open the current one */
			if (ret_path) {
				*ret_path = w.path.len ? xstrndup(w.path.data, w.path.len) : xstrdup("/");
				r = 0;
			} else {
				r = openat(w.fds[w.n - 1], ".", flags & ~(O_CREAT | O_EXCL | O_NOFOLLOW), mode);
				r = r < 0 ? -errno : r;
			}
			break;
		}
		size_t len = strcspn(p, "/");
		bool last = p[len] == 0 || p[len + strspn(p + len, "/")] == 0;
		bool trailing_slash = p[len] == '/';
		char name[NAME_MAX + 1];
		if (len > NAME_MAX) {
			r = -ENAMETOOLONG;
			break;
		}
		memcpy(name, p, len);
		name[len] = 0;
		memmove(rest, p + len, strlen(p + len) + 1);
		if (!strcmp(name, "."))
			continue;
		if (!strcmp(name, "..")) {
			if (w.n > 1) {
				close(w.fds[--w.n]);
				w.path.len = w.lens[w.n];
			}
			continue;
		}
		int dir = w.fds[w.n - 1];
		struct stat st;
		bool exists = fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
		if (!exists && errno != ENOENT) {
			r = -errno;
			break;
		}
		if (exists && S_ISLNK(st.st_mode) && !(last && !trailing_slash && (flags & O_NOFOLLOW) && !ret_path)) {
			if (++links > MAX_SYMLINKS) {
				r = -ELOOP;
				break;
			}
			char target[PATH_MAX];
			ssize_t n = readlinkat(dir, name, target, sizeof(target) - 1);
			if (n < 0) {
				r = -errno;
				break;
			}
			target[n] = 0;
			if (target[0] == '/')
				walk_pop_all(&w);
			char *nrest = xasprintf("%s%s", target, rest);
			free(rest);
			rest = nrest;
			continue;
		}
		if (last && !trailing_slash) {
			if (ret_path) {
				if (!exists || !S_ISDIR(st.st_mode)) {
					buf_printf(&w.path, "/%s", name);
					*ret_path = xstrndup(w.path.data, w.path.len);
					r = 0;
					break;
				}
			} else {
				/* O_NOFOLLOW: a symlink here is refused (ELOOP), as openat2 does */
				r = openat(dir, name, flags | O_NOFOLLOW, mode);
				r = r < 0 ? -errno : r;
				break;
			}
		}
		if (!exists) {
			r = -ENOENT;
			break;
		}
		if (w.n >= MAX_DEPTH) {
			r = -ENAMETOOLONG;
			break;
		}
		int fd = openat(dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0) {
			r = -errno;
			break;
		}
		w.lens[w.n] = w.path.len;
		w.fds[w.n++] = fd;
		buf_printf(&w.path, "/%s", name);
	}
	walk_pop_all(&w);
	buf_free(&w.path);
	free(rest);
	return r;
}

int rootfs_open(int root_fd, const char *path, int flags, mode_t mode)
{
	if (!path || !*path)
		return -ENOENT;
	int r = try_openat2(root_fd, path, flags, mode);
	if (r != -ENOSYS)
		return r;
	return walk(root_fd, path, flags, mode, NULL);
}

int rootfs_open_path(const char *root, const char *path, int flags, mode_t mode)
{
	int rfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rfd < 0)
		return -errno;
	int r = rootfs_open(rfd, path, flags, mode);
	close(rfd);
	return r;
}

int rootfs_resolve(int root_fd, const char *path, char **ret)
{
	if (!path || !*path)
		return -ENOENT;
	return walk(root_fd, path, 0, 0, ret);
}

int rootfs_host_path(const char *root, const char *path, char **ret)
{
	int rfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rfd < 0)
		return -errno;
	_cleanup_free_ char *in = NULL;
	int r = rootfs_resolve(rfd, path, &in);
	close(rfd);
	if (r < 0)
		return r;
	*ret = !strcmp(root, "/") ? TAKE_PTR(in) : xasprintf("%s%s", root, strcmp(in, "/") ? in : "");
	return 0;
}

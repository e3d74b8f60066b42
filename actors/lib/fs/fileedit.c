/* fs_root_replace_contents(): atomic in-place rewrite that keeps owner, mode and xattrs. */
#include "fs.h"

#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/xattr.h>

#include "leapp/actor.h"
#include "leapp/proto.h"
#include "leapp/rootfs.h"
#include "leapp/util.h"

/* Copy every extended attribute (security.selinux above all) from fd src to fd dst. */
static void copy_xattrs(int src, int dst)
{
	ssize_t n = flistxattr(src, NULL, 0);
	if (n <= 0)
		return;
	_cleanup_free_ char *names = xmalloc((size_t)n);
	n = flistxattr(src, names, (size_t)n);
	for (ssize_t off = 0; n > 0 && off < n; off += (ssize_t)strlen(names + off) + 1) {
		const char *name = names + off;
		ssize_t vl = fgetxattr(src, name, NULL, 0);
		if (vl < 0)
			continue;
		_cleanup_free_ char *val = xmalloc((size_t)vl + 1);
		vl = fgetxattr(src, name, val, (size_t)vl);
		if (vl >= 0)
			(void)fsetxattr(dst, name, val, (size_t)vl, 0);
	}
}

int fs_root_replace_contents(const char *abs_path, const void *data, size_t len)
{
	/* resolved inside the root, never with realpath(): under --root an absolute symlink would
	 * point into the host's (or the initramfs's) tree */
	_cleanup_free_ char *real = NULL;
	int rr = rootfs_host_path(actor_root(), abs_path, &real);
	if (rr < 0)
		return rr;
	_cleanup_close_ int src = open(real, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (src < 0)
		return -errno;
	struct stat st;
	if (fstat(src, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EINVAL;
	_cleanup_free_ char *dir = xstrdup(real);
	char *slash = strrchr(dir, '/');
	*slash = 0;
	_cleanup_free_ char *tmp = xasprintf("%s/.%s.leapp-XXXXXX", *dir ? dir : "/", slash + 1);
	_cleanup_close_ int fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return -errno;
	int r = 0;
	if (fchown(fd, st.st_uid, st.st_gid) < 0 || fchmod(fd, st.st_mode & 07777) < 0 || write_all(fd, data, len) < 0 ||
	    fsync(fd) < 0)
		r = -errno;
	if (r == 0) {
		copy_xattrs(src, fd);
		/* the mode again: fchown may have cleared set-id bits */
		if (fchmod(fd, st.st_mode & 07777) < 0 || rename(tmp, real) < 0)
			r = -errno;
	}
	if (r < 0) {
		unlink(tmp);
		return r;
	}
	_cleanup_close_ int dfd = open(*dir ? dir : "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0)
		(void)fsync(dfd);
	return 0;
}

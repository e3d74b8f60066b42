/* Files: root-relative reads, copies, and the small stat questions. */
#include "fs.h"

#include <fcntl.h>
#include <sys/stat.h>

#include "leapp/actor.h"
#include "leapp/rootfs.h"
#include "leapp/util.h"
#include "sys.h"

int fs_root_open(const char *abs_path, int flags, mode_t mode)
{
	return rootfs_open_path(actor_root(), abs_path, flags, mode);
}

int fs_root_host_path(const char *abs_path, char **ret)
{
	return rootfs_host_path(actor_root(), abs_path, ret);
}

int fs_root_read(const char *abs_path, size_t limit, char **ret_data, size_t *ret_len)
{
	_cleanup_close_ int fd = fs_root_open(abs_path, O_RDONLY | O_CLOEXEC | O_NOCTTY, 0);
	if (fd < 0)
		return fd;
	return read_fd(fd, limit, ret_data, ret_len);
}

int fs_copy_file(const char *src, const char *dst, mode_t mode, uint64_t *ret_size)
{
	_cleanup_close_ int in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -errno;
	_cleanup_free_ char *tmp = xasprintf("%s.tmp", dst);
	_cleanup_close_ int out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (out < 0)
		return -errno;
	uint64_t total = 0;
	char buf[1 << 16];
	int r = 0;
	for (;;) {
		ssize_t n = read(in, buf, sizeof(buf));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			r = -errno;
			break;
		}
		if (n == 0)
			break;
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(out, buf + off, (size_t)(n - off));
			if (w < 0) {
				if (errno == EINTR)
					continue;
				r = -errno;
				break;
			}
			off += w;
		}
		if (r < 0)
			break;
		total += (uint64_t)n;
	}
	if (r == 0 && fchmod(out, mode) < 0)
		r = -errno;
	if (r == 0 && fsync(out) < 0)
		r = -errno;
	if (r == 0 && rename(tmp, dst) < 0)
		r = -errno;
	if (r < 0) {
		unlink(tmp);
		return r;
	}
	_cleanup_free_ char *dir = xstrdup(dst);
	char *slash = strrchr(dir, '/');
	if (slash) {
		*(slash == dir ? slash + 1 : slash) = 0;
		_cleanup_close_ int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd >= 0)
			fsync(dfd);
	}
	if (ret_size)
		*ret_size = total;
	return 0;
}

int fs_copy_tree(const char *src, const char *dst)
{
	const char *argv[] = {"cp", "-a", "--", src, dst, NULL};
	int st;
	int r = sys_command_run(&(struct sys_run_opts){.argv = argv}, &st);
	if (r < 0)
		return r;
	return st == 0 ? 0 : -EIO;
}

uint64_t fs_file_size(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0;
}

bool fs_is_dir(const char *path)
{
	return path_is_dir(path);
}

bool fs_is_exec(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111);
}

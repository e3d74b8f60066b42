/* Paths inside the root: lexical normalization, opening with every link resolved in the root
 * (openat2 RESOLVE_IN_ROOT), and device nodes for actors that read disks. */
#include "fs.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "leapp/util.h"

char *fs_path_normalize(const char *base, const char *path)
{
	_cleanup_free_ char *joined = path[0] == '/' ? xstrdup(path) : xasprintf("%s/%s", base ?: "/", path);
	size_t n = strlen(joined);
	char **parts = xmalloc(sizeof(char *) * (n / 2 + 2));
	size_t np = 0;
	char *save = NULL;
	for (char *t = strtok_r(joined, "/", &save); t; t = strtok_r(NULL, "/", &save)) {
		if (!strcmp(t, "."))
			continue;
		if (!strcmp(t, "..")) {
			if (np)
				np--;
			continue;
		}
		parts[np++] = t;
	}
	char *out = xmalloc(n + 2), *p = out;
	for (size_t i = 0; i < np; i++)
		p += sprintf(p, "/%s", parts[i]);
	if (!np)
		strcpy(out, "/");
	free(parts);
	return out;
}

int fs_root_open(const char *root, const char *abs, int flags)
{
	_cleanup_close_ int rfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rfd < 0)
		return -errno;
	struct open_how how = {
		.flags = (unsigned)(flags | O_CLOEXEC),
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	while (*abs == '/')
		abs++;
	int fd = (int)syscall(SYS_openat2, rfd, *abs ? abs : ".", &how, sizeof(how));
	return fd < 0 ? -errno : fd;
}

int fs_root_read_at(const char *root, const char *abs, size_t limit, char **ret_data, size_t *ret_len)
{
	_cleanup_close_ int fd = fs_root_open(root, abs, O_RDONLY);
	if (fd < 0)
		return fd;
	size_t cap = 4096, len = 0;
	_cleanup_free_ char *buf = xmalloc(cap + 1);
	for (;;) {
		if (len == cap) {
			if (cap > limit)
				return -EFBIG;
			cap *= 2;
			buf = xrealloc(buf, cap + 1);
		}
		ssize_t n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (len > limit)
		return -EFBIG;
	buf[len] = 0;
	*ret_data = buf;
	buf = NULL;
	*ret_len = len;
	return 0;
}

int fs_root_dev_prepare(const char *root)
{
	static int done = 1;
	if (strcmp(root, "/"))
		return 0;
	if (done <= 0)
		return done;
	done = mount("devtmpfs", "/dev", "devtmpfs", MS_NOSUID | MS_NOEXEC, "mode=0755") < 0 ? -errno : 0;
	return done;
}

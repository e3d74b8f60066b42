/* Directory listings and stat/readlink of paths inside the root, through fs_root_open (the
 * root-aware walk), for the fact actors of issue 19. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fs.h"
#include "leapp/util.h"

#define FS_DIR_MAX 4096

int fs_root_dir_list(const char *abs_dir, const char *suffix, char ***ret_names)
{
	int fd = fs_root_open(abs_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
	if (fd < 0)
		return fd;
	DIR *d = fdopendir(fd);
	if (!d) {
		int r = -errno;
		close(fd);
		return r;
	}
	size_t n = 0, cap = 8;
	char **v = xcalloc(cap, sizeof(*v));
	struct dirent *de;
	while ((de = readdir(d)) && n < FS_DIR_MAX) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (suffix && *suffix && !str_endswith(de->d_name, suffix))
			continue;
		if (n + 1 >= cap) {
			cap *= 2;
			v = xrealloc(v, cap * sizeof(*v));
		}
		v[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	v[n] = NULL;
	qsort(v, n, sizeof(*v), str_cmp_qsort);
	*ret_names = v;
	return (int)n;
}

void fs_strv_free(char **v)
{
	if (!v)
		return;
	for (char **p = v; *p; p++)
		free(*p);
	free(v);
}

int fs_root_stat(const char *abs_path, bool follow, struct stat *ret)
{
	int fd = fs_root_open(abs_path, O_PATH | O_CLOEXEC | (follow ? 0 : O_NOFOLLOW), 0);
	if (fd < 0)
		return fd;
	int r = fstat(fd, ret) < 0 ? -errno : 0;
	close(fd);
	return r;
}

int fs_root_readlink(const char *abs_path, char **ret)
{
	int fd = fs_root_open(abs_path, O_PATH | O_NOFOLLOW | O_CLOEXEC, 0);
	if (fd < 0)
		return fd;
	char buf[4096];
	ssize_t n = readlinkat(fd, "", buf, sizeof(buf) - 1);
	int r = n < 0 ? -errno : 0;
	close(fd);
	if (r < 0)
		return r;
	buf[n] = 0;
	*ret = xstrdup(buf);
	return 0;
}

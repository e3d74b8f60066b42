/* The file lists of an rpm-md repository (filelists.xml), read as a stream. */
#ifndef ACTORS_FILELISTS_H
#define ACTORS_FILELISTS_H

#include <stdbool.h>

struct filelists_pkg {
	const char *name, *arch, *epoch, *version, *release;
};

/* Called for every <file> of every package; return non-zero to stop (handed back). */
typedef int (*filelists_cb)(const struct filelists_pkg *pkg, const char *path, bool is_dir, void *userdata);

/*
 * Read the filelists of the repository whose repodata/ is in repo_dir (repomd.xml names the
 * file; gz, xz, zstd and bzip2 are read as libsolv reads them). Returns 0, what cb returned,
 * or -errno with *ret_err naming the file (-ENOENT: no filelists in repomd.xml).
 */
int filelists_read(const char *repo_dir, filelists_cb cb, void *userdata, char **ret_err);

#endif

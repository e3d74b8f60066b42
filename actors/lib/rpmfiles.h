/* The files the rpmdb records for a package: is a configuration file as its package shipped it? */
#ifndef ACTORS_RPMFILES_H
#define ACTORS_RPMFILES_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Compare root + path with the digest, size and type the rpmdb under root records for it
 * (what `rpm -V` does for the file's contents). *ret_modified is true when the file differs
 * from what its package installed, or is missing; *ret_pkg (may be NULL) gets the name of the
 * package that owns it. Returns 0, -ENOENT when no installed package owns path (or there is
 * no rpmdb), or another -errno (the database cannot be read).
 */
int rpmdb_file_modified(const char *root, const char *path, char **ret_pkg, bool *ret_modified);

/*
 * Which of paths some installed package owns (a file, directory or symlink it installed):
 * ret_owned[i] for paths[i], with the rpmdb opened once. Returns 0, -ENOENT when there is no
 * rpmdb (every path unowned), or another -errno.
 */
int rpmdb_paths_owned(const char *root, const char *const *paths, size_t n, bool *ret_owned);

#endif

/*
 * The fs domain (actors/lib/fs/): root-aware file I/O: files under the actor's root (--root), atomic rewrites that keep owner, mode
 * and labels, copies, and the small stat questions.
 *
 * The one header of the domain: every actor using it includes "fs.h".
 */
#ifndef LEAPP_DOMAIN_FS_H
#define LEAPP_DOMAIN_FS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>


/* ======== reading under the root ======== */

/* Every path below is inside the actor's root (--root), resolved there: a symlink, absolute or
 * relative, is followed inside the root and ".." never leaves it (libmsg's rootfs.h:
 * openat2(RESOLVE_IN_ROOT), or the same walk on 4.18 kernels). Never realpath() or open() a
 * path under the root: its symlinks would resolve against the host's (or the initramfs's) "/". */

/* open(2) of ABS_PATH inside the root; flags and mode as for openat (O_NOFOLLOW refuses a
 * symlink in the last component). Returns the fd or -errno. */
int fs_root_open(const char *abs_path, int flags, mode_t mode);
/* ABS_PATH with its symlinks resolved inside the root, as a host path (<root>/...): for the
 * tools that take a path. The last component may be missing. 0 with *ret, or -errno. */
int fs_root_host_path(const char *abs_path, char **ret);

/* Read <root>ABS_PATH whole (at most limit bytes). Returns 0 or -errno (-ENOENT: absent). */
int fs_root_read(const char *abs_path, size_t limit, char **ret_data, size_t *ret_len);

/*
 * The names of the entries of the directory ABS_PATH inside the root that end with suffix (NULL
 * or "": all but . and ..), sorted, in a NULL-terminated array (free with fs_strv_free). At
 * most 4096 names. Returns the count or -errno (-ENOENT: the directory is absent).
 */
int fs_root_dir_list(const char *abs_dir, const char *suffix, char ***ret_names);
void fs_strv_free(char **v);
/* stat(2) (follow) or lstat(2) of ABS_PATH inside the root. 0 or -errno. */
int fs_root_stat(const char *abs_path, bool follow, struct stat *ret);
/* The target of the symlink ABS_PATH inside the root, as written (malloc'd). 0 or -errno. */
int fs_root_readlink(const char *abs_path, char **ret);

/* ======== fileedit ======== */

/* Rewriting a configuration file in place the way an admin's editor should: same owner,
 * mode and extended attributes (the SELinux label), atomically. */

/*
 * Replace the contents of the existing file ABS_PATH inside the root with data: a temporary file
 * in the same directory gets the original's owner, mode and extended attributes, is written and
 * fsync'd, and is renamed over the original (then the directory is fsync'd). A symlink is
 * followed inside the root and its target rewritten (authselect's /etc/pam.d/system-auth ->
 * /etc/authselect/system-auth). Returns 0 or -errno; the original is untouched on failure.
 */
int fs_root_replace_contents(const char *abs_path, const void *data, size_t len);

/* ======== files ======== */


/* Copy a regular file (following symlinks) to dst via dst.tmp, fsync, rename. The size goes
 * to *ret_size when given. Returns 0 or -errno. */
int fs_copy_file(const char *src, const char *dst, mode_t mode, uint64_t *ret_size);
/* cp -a SRC DST (a tree, with links and modes). Returns 0 or -errno (-EIO: cp failed). */
int fs_copy_tree(const char *src, const char *dst);
/* st_size of a file, 0 when absent. */
uint64_t fs_file_size(const char *path);
bool fs_is_dir(const char *path);
bool fs_is_exec(const char *path);

/* ======== paths inside the root (rootpath.c) ======== */

/* Lexical path normalization (no filesystem access): what a symlink's target means without
 * resolving it against the host's /. */
/* The absolute, normalized form of path: relative paths are taken from the absolute
 * directory base (NULL: "/"); "//", "." and ".." are resolved lexically (".." at "/" stays
 * there). Returns a malloc'd "/..." string; never NULL. */
char *fs_path_normalize(const char *base, const char *path);

#endif

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
#include <sys/types.h>


/* ======== reading under the root ======== */

/* Read <root>ABS_PATH whole (at most limit bytes). Returns 0 or -errno (-ENOENT: absent). */
int fs_root_read(const char *abs_path, size_t limit, char **ret_data, size_t *ret_len);

/* ======== fileedit ======== */

/* Rewriting a configuration file in place the way an admin's editor should: same owner,
 * mode and extended attributes (the SELinux label), atomically. */

/*
 * Replace the contents of the existing file path with data: a temporary file in the same
 * directory gets the original's owner, mode and extended attributes, is written and
 * fsync'd, and is renamed over the original (then the directory is fsync'd). A symlink is
 * followed and its target rewritten. Returns 0 or -errno; the original is untouched on failure.
 */
int fs_replace_contents(const char *path, const void *data, size_t len);

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


#endif

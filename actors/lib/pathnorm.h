/* Lexical path normalization (no filesystem access): what a symlink's target means without
 * resolving it against the host's /. */
#ifndef ACTORS_PATHNORM_H
#define ACTORS_PATHNORM_H

/* The absolute, normalized form of path: relative paths are taken from the absolute
 * directory base (NULL: "/"); "//", "." and ".." are resolved lexically (".." at "/" stays
 * there). Returns a malloc'd "/..." string; never NULL. */
char *path_normalize(const char *base, const char *path);

#endif

#include <stddef.h>

/* Open ABS (an absolute path) under the directory root with every symlink, absolute ones
 * included, resolved inside root (openat2 RESOLVE_IN_ROOT), so that nothing resolves against
 * the host's /. flags: open(2) flags (O_CLOEXEC is added). Returns an fd or -errno. */
int root_open(const char *root, const char *abs, int flags);
/* Read such a file whole, at most limit bytes (-EFBIG beyond). Returns 0 or -errno. */
int root_read_file(const char *root, const char *abs, size_t limit, char **ret_data, size_t *ret_len);

/* Device nodes for an actor that reads or writes disks (a sandbox gives actors a private /dev
 * without them): with root "/", mount a devtmpfs over /dev in the actor's own mount namespace
 * (its manifest must declare sandbox mounts); under another root the devices are that root's
 * dev/ entries and nothing is done. Returns 0 or -errno. */
int root_dev_prepare(const char *root);

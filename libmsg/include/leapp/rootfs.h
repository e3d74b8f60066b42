/* Paths inside a root directory (--root, a target userspace): every symlink, absolute or
 * relative, is resolved inside the root, and ".." never leaves it (DESIGN.md section 6). The
 * kernel does this with openat2(RESOLVE_IN_ROOT) (5.6 and later); on the 4.18 kernels of the
 * source systems the same walk is done here, one component at a time. The broker uses it (it may
 * not include actor libraries); actors reach it through the fs domain (fs.h). */
#ifndef LEAPP_ROOTFS_H
#define LEAPP_ROOTFS_H

#include <stdbool.h>
#include <sys/types.h>

/* open(2) of path inside the directory root_fd: flags and mode as for openat (O_CREAT, O_EXCL,
 * O_NOFOLLOW, O_DIRECTORY, O_PATH ... keep their meaning; O_NOFOLLOW refuses a symlink in the
 * last component with -ELOOP). path may be absolute or relative: both start at the root.
 * Returns the fd or -errno (-ELOOP: more than 40 symlinks). */
int rootfs_open(int root_fd, const char *path, int flags, mode_t mode);

/* The same, with the root given by its path (opened, then closed). */
int rootfs_open_path(const char *root, const char *path, int flags, mode_t mode);

/* The path inside the root (absolute, "/..."), every symlink resolved inside it, as
 * rootfs_open would reach it: "/etc/pam.d/system-auth" -> "/etc/authselect/system-auth". The
 * last component may be missing (it is kept as it is); a missing directory before it is
 * -ENOENT. Returns 0 with *ret (free it) or -errno. */
int rootfs_resolve(int root_fd, const char *path, char **ret);

/* The host path of path inside root, resolved as above: root + rootfs_resolve(). */
int rootfs_host_path(const char *root, const char *path, char **ret);

/* Tests: true makes rootfs_open use the user-space walk even where openat2 exists. The
 * environment variable LEAPP_ROOTFS_NO_OPENAT2=1 does the same for a whole process. */
void rootfs_force_walk(bool on);

#endif

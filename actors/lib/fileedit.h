/* Rewriting a configuration file in place the way an admin's editor should: same owner,
 * mode and extended attributes (the SELinux label), atomically. */
#ifndef ACTORS_FILEEDIT_H
#define ACTORS_FILEEDIT_H

#include <stddef.h>

/*
 * Replace the contents of the existing file path with data: a temporary file in the same
 * directory gets the original's owner, mode and extended attributes, is written and
 * fsync'd, and is renamed over the original (then the directory is fsync'd). A symlink is
 * followed and its target rewritten. Returns 0 or -errno; the original is untouched on failure.
 */
int file_replace_contents(const char *path, const void *data, size_t len);

#endif

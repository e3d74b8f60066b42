/* Lexical path normalization (no filesystem access): what a symlink's target means without
 * resolving it against the host's /. */
#ifndef ACTORS_PATHNORM_H
#define ACTORS_PATHNORM_H

/* The absolute, normalized form of path: relative paths are taken from the absolute
 * directory base (NULL: "/"); "//", "." and ".." are resolved lexically (".." at "/" stays
 * there). Returns a malloc'd "/..." string; never NULL. */
char *path_normalize(const char *base, const char *path);

#endif

/* RPM version comparison (rpmvercmp's rules) without linking librpm. */
#ifndef ACTORS_EVR_H
#define ACTORS_EVR_H

#include <stdint.h>

/* Compare two version or release strings the way rpmvercmp() does: alphanumeric segments,
 * numbers numerically, '~' sorts before anything, '^' after the end. Returns -1, 0 or 1. */
int evr_vercmp(const char *a, const char *b);

/* Compare epoch:version-release; a NULL release is not compared (as rpm's EVR matching). */
int evr_cmp(uint32_t e1, const char *v1, const char *r1, uint32_t e2, const char *v2, const char *r2);

/* Compare dotted release versions such as "8.10" and "9.6" (upgrade_paths.json keys). */
int evr_release_cmp(const char *a, const char *b);

#endif

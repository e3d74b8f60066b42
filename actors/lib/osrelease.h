/* /etc/os-release (and /usr/lib/os-release) under --root, parsed with shell quoting rules. */
#ifndef ACTORS_OSRELEASE_H
#define ACTORS_OSRELEASE_H

#include <jansson.h>

/* Load os-release into a JSON object of KEY -> value (unquoted). Tries <root>/etc/os-release,
 * then <root>/usr/lib/os-release. Returns 0, or -errno with the file in *ret_err. */
int os_release_load(const char *root, json_t **ret, char **ret_err);

/* Parse os-release text (KEY=value lines; "...", '...' and backslash escapes). */
json_t *os_release_parse(const char *data, size_t len);

/* Major version of "8.10" (8); -1 when not a number. */
int version_major(const char *version);

#endif

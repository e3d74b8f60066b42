/* Readers shared by the network, security and cryptography fact actors (issue 19): directory
 * listings and shell-style KEY=VALUE files under --root. */
#ifndef ACTORS_NETSEC_H
#define ACTORS_NETSEC_H

#include <stdbool.h>
#include <stddef.h>

/*
 * The names of the entries of <root>ABS_DIR that end with suffix (NULL or "": all but . and
 * ..), sorted, in a NULL-terminated array (free with netsec_strv_free). At most 4096 names.
 * Returns the count or -errno (-ENOENT: the directory is absent).
 */
int netsec_dir_list(const char *abs_dir, const char *suffix, char ***ret_names);
void netsec_strv_free(char **v);

/*
 * The value of KEY in a shell-style assignment file (ifcfg, firewalld.conf, sysconfig):
 * the last "KEY=value" line, with one level of single or double quotes removed and the
 * comments skipped. NULL when absent. Keys compare case-sensitively unless nocase.
 */
char *netsec_kv_get(const char *data, const char *key, bool nocase);

#endif

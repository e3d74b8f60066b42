/* Module streams: the source's enabled streams (/etc/dnf/modules.d) and the target
 * repositories' streams (modules.yaml, read with libmodulemd), for dnf-like filtering. */
#ifndef ACTORS_MODULES_H
#define ACTORS_MODULES_H

#include <stdbool.h>
#include <stddef.h>

#include "solve.h"

/* One [section] of /etc/dnf/modules.d/NAME.module. */
struct module_state {
	char *name, *stream, *state;   /* state: enabled, disabled or "" (reset); stream may be "" */
	char **profiles;
	size_t n_profiles;
	char *file;                    /* /etc/dnf/modules.d/NAME.module */
};

/* Read every *.module file under root/etc/dnf/modules.d (sorted by file name). A missing
 * directory is no modules. Returns 0 or -EINVAL with "FILE:LINE: problem" in *ret_err. */
int modules_read_states(const char *root, struct module_state **ret, size_t *ret_n, char **ret_err);
void module_states_free(struct module_state *m, size_t n);

struct modules_index;

struct modules_index *modules_index_new(void);
void modules_index_free(struct modules_index *idx);
/* Add one repository's modules.yaml (.gz/.xz/.zst or plain). -EINVAL with the repository, the
 * file and libmodulemd's complaint in *ret_err. */
int modules_index_add_file(struct modules_index *idx, const char *path, const char *repoid, char **ret_err);
bool modules_index_has_stream(struct modules_index *idx, const char *name, const char *stream);
/* The default stream of a module (modulemd-defaults), malloc'd, or NULL. */
char *modules_index_default_stream(struct modules_index *idx, const char *name);
/* Every module name of the index, NULL-terminated, malloc'd strings. */
char **modules_index_names(struct modules_index *idx);

/* The filter for solve_set_module_filter(): active is a list of "name:stream". */
void modules_index_filter(struct modules_index *idx, char *const *active, size_t n_active,
			  struct solve_module_filter *ret);
void module_filter_free(struct solve_module_filter *f);

#endif

/* Helpers the planner's actors share: vendor data files, the admin's transaction lists,
 * release numbers from IPUConfig. */
#ifndef ACTORS_PLANUTIL_H
#define ACTORS_PLANUTIL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/*
 * Files of /etc/leapp/files/vendors.d (under --root) and of the built-in data directory
 * ($LEAPP_DATADIR/files/vendors.d) whose name ends with suffix ("_pes.json", "_map.json"),
 * sorted by name; the /etc copy wins over a built-in one of the same name. ret_paths are
 * real paths, ret_shown the names for messages. Returns the count.
 */
size_t plan_vendor_files(const char *suffix, char ***ret_paths, char ***ret_shown);

/* Load a JSON file; NULL with "SHOWN:LINE:COLUMN: problem" (or "SHOWN: errno text") in *ret_err. */
/* The last PlannedTransaction when its status is "planned" (new reference), else NULL: no plan
 * (the planner did not run or failed) or one that could not be made. */
json_t *plan_consume_planned(void);
json_t *plan_load_json(const char *path, const char *shown, char **ret_err);

/* One admin list of /etc/leapp/transaction (to_install, to_remove, to_keep): one package
 * name per line, '#' comments, blank lines ignored. A missing file is an empty list. */
struct admin_list {
	char **names;
	int *lines;
	size_t n;
};
int plan_read_admin_list(const char *name, struct admin_list *ret, char **ret_err);
void admin_list_free(struct admin_list *l);

/* The source or target release of IPUConfig as {major, minor} ("virtual" versions first:
 * CentOS Stream 8 is 8.10). -EINVAL when absent or junk. */
int plan_ipu_release(json_t *ipu, bool target, int ret[2]);

json_t *plan_strv_json(char *const *v, size_t n);
/* Strings of a JSON array (NULL-terminated, malloc'd); *ret_n gets the count. */
char **plan_json_strv(json_t *a, size_t *ret_n);

/* The LEAPP_ENABLE_REPOS list (comma-separated), NULL-terminated. */
char **plan_enablerepos(size_t *ret_n);

#endif

/* Data file lookup: the admin's /etc/leapp/files copy wins over the built-in default. */
#include "datafile.h"

#include "leapp/actor.h"
#include "leapp/util.h"

char *datafile_path(const char *name, char **ret_shown)
{
	_cleanup_free_ char *rel = xasprintf("/etc/leapp/files/%s", name);
	char *p = actor_path(rel);
	if (access(p, F_OK) == 0) {
		if (ret_shown)
			*ret_shown = xstrdup(rel);
		return p;
	}
	free(p);
	const char *dd = getenv("LEAPP_DATADIR");
	if (dd && *dd) {
		_cleanup_free_ char *files = path_join(dd, "files");
		p = path_join(files, name);
		if (access(p, F_OK) == 0) {
			if (ret_shown)
				*ret_shown = xstrdup(p);
			return p;
		}
		free(p);
	}
	return NULL;
}

int datafile_load_json(const char *name, json_t **ret, char **ret_err)
{
	_cleanup_free_ char *shown = NULL;
	_cleanup_free_ char *p = datafile_path(name, &shown);
	if (!p) {
		if (ret_err)
			*ret_err = xasprintf("/etc/leapp/files/%s: missing (and no built-in default)", name);
		return -ENOENT;
	}
	json_error_t e;
	json_t *j = json_load_file(p, JSON_REJECT_DUPLICATES, &e);
	if (!j) {
		if (ret_err)
			*ret_err = xasprintf("%s:%d:%d: %s", shown, e.line, e.column, e.text);
		return -EINVAL;
	}
	*ret = j;
	return 0;
}

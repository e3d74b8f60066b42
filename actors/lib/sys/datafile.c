/* Data file lookup: the admin's /etc/leapp/files copy wins over the built-in default. */
#include "sys.h"

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

void datafile_report_problem(const char *name, int r, const char *err)
{
	bool missing = r == -ENOENT;
	_cleanup_free_ char *summary = xasprintf(
		"leapp needs the data file %s to decide how to upgrade this system, and it is %s: %s. Without it the "
		"upgrade cannot be planned safely.",
		name, missing ? "missing" : "unreadable", err ? err : strerror(-r));
	json_t *e = report_new(missing ? "A data file leapp needs is missing" : "A data file leapp needs cannot be read",
			       summary, "high");
	report_add_group(e, "inhibitor");
	report_add_group(e, "sanity");
	_cleanup_free_ char *hint =
		missing ? xasprintf("Put %s in /etc/leapp/files/ (the leapp-data package of your distribution ships it).", name)
			: xasprintf("Fix or remove /etc/leapp/files/%s; without the file leapp uses its built-in copy when "
				    "there is one.",
				    name);
	report_add_hint(e, hint);
	_cleanup_free_ char *res = xasprintf("/etc/leapp/files/%s", name);
	report_add_resource(e, "file", res);
	actor_report(e);
}

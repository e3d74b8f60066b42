/* leapp's data files: /etc/leapp/files under --root, else the built-in default. */
#ifndef ACTORS_DATAFILE_H
#define ACTORS_DATAFILE_H

#include <jansson.h>

/*
 * datafile_path("upgrade_paths.json") is <root>/etc/leapp/files/upgrade_paths.json when that
 * exists, else $LEAPP_DATADIR/files/upgrade_paths.json when that exists, else NULL. The name
 * may hold subdirectories ("distro/almalinux/gpg-signatures.json"). ret_shown, if given, gets
 * the name to show in messages (/etc/leapp/files/... or the built-in path).
 */
char *datafile_path(const char *name, char **ret_shown);

/* Load a data file as JSON. -ENOENT when neither copy exists; -EINVAL with
 * "/etc/leapp/files/NAME:LINE:COLUMN: problem" in *ret_err when it does not parse. */
int datafile_load_json(const char *name, json_t **ret, char **ret_err);

/*
 * Inhibit the upgrade because a data file is missing (no /etc/leapp/files copy and no
 * built-in default) or unreadable (it does not parse). r and err are what
 * datafile_load_json() returned. The key is "data-file:NAME", stable per file.
 */
void datafile_report_problem(const char *name, int r, const char *err);

#endif

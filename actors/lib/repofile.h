/* dnf .repo files: parsing with dnf's rules (variables, lists, booleans), with file:line errors. */
#ifndef ACTORS_REPOFILE_H
#define ACTORS_REPOFILE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct repo_vars {
	char **names, **values;
	size_t n;
};

/* Load variables: releasever, basearch, arch, then every file in <root>/etc/dnf/vars and
 * <root>/etc/yum/vars (file name = variable, first line = value). root may be "/". */
void repo_vars_init(struct repo_vars *v, const char *root, const char *releasever, const char *basearch);
void repo_vars_set(struct repo_vars *v, const char *name, const char *value);
void repo_vars_clear(struct repo_vars *v);
/* Expand $name and ${name}; unknown variables are left as written (as dnf does). */
char *repo_vars_expand(const struct repo_vars *v, const char *s);

struct repo_entry {
	char *id;
	char *name;
	char **baseurl;
	size_t n_baseurl;
	char *mirrorlist;
	char *metalink;
	bool enabled;
	bool gpgcheck;
	bool module_hotfixes;
	char **gpgkey;
	size_t n_gpgkey;
	char **exclude;
	size_t n_exclude;
	char **includepkgs;
	size_t n_includepkgs;
	int line;
};

struct repo_file {
	char *path;
	struct repo_entry *repos;
	size_t n;
};

/* Parse a .repo file. gpgcheck_default: dnf.conf's [main] gpgcheck. display_path is the
 * name used in errors (e.g. the path without the --root prefix). Returns 0 or -errno with
 * "file:line: problem" in *ret_err. */
int repofile_parse(const char *path, const char *display_path, const struct repo_vars *vars, bool gpgcheck_default,
		   struct repo_file **ret, char **ret_err);
int repofile_parse_string(const char *display_path, const char *data, size_t len, const struct repo_vars *vars,
			  bool gpgcheck_default, struct repo_file **ret, char **ret_err);
void repofile_free(struct repo_file *f);

/* JSON in the shape of the RepositoryFile / RepositoryData models. */
json_t *repofile_to_json(const struct repo_file *f);
json_t *repo_entry_to_json(const struct repo_entry *e);

/* Split a dnf list value (whitespace, commas, newlines). */
char **repo_split_list(const char *s, size_t *ret_n);
void strv_free(char **v, size_t n);

#endif

/* repomap.json (format 1.x, leapp's and vendors'): source repositories (pesids) to target ones. */
#ifndef ACTORS_REPOMAP_H
#define ACTORS_REPOMAP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* One repository of a pesid for one major version and architecture ("repositories" entries). */
struct repomap_repo {
	char *pesid, *major, *repoid, *arch, *channel, *repo_type, *rhui, *distro; /* distro may be NULL */
};

/* One mapping entry: a source pesid and the target pesids that replace it. */
struct repomap_entry {
	char *source;
	char **targets;
	size_t n_targets;
};

struct repomap {
	struct repomap_repo *repos;   /* of the source and target majors, on the architecture */
	size_t n_repos;
	struct repomap_entry *map;    /* of the source -> target majors */
	size_t n_map;
	char **files;                 /* the files read, as shown to the admin */
	size_t n_files;
	char **pesids;                /* every pesid defined by a file read, any major or arch */
	size_t n_pesids;
};

void repomap_init(struct repomap *m);
void repomap_free(struct repomap *m);

/*
 * Merge one parsed repomap document into m, keeping the mapping from src_major to dst_major
 * and the repositories of those majors on arch. shown names the file in errors. Returns 0,
 * or -EINVAL with "FILE: $.json.path: problem" in *ret_err (m is then unchanged). The format
 * is checked the way leapp reads it: version_format 1.x, every key it needs present and of
 * the right type; unknown keys are ignored (newer 1.x minors add some).
 */
int repomap_merge_json(struct repomap *m, json_t *doc, const char *shown, const char *src_major,
		       const char *dst_major, const char *arch, char **ret_err);

/* The RepositoriesMapping message and back. */
json_t *repomap_to_json(const struct repomap *m);
int repomap_from_json(struct repomap *m, json_t *msg, char **ret_err);

bool repomap_has_pesid(const struct repomap *m, const char *pesid);
/* The repository with repoid in major (first match), or NULL. */
const struct repomap_repo *repomap_find_repoid(const struct repomap *m, const char *repoid, const char *major);
/* The mapping entry of a source pesid, or NULL. */
const struct repomap_entry *repomap_find_entry(const struct repomap *m, const char *src_pesid);
/*
 * The target repository of pesid in major that best matches a source repository's channel
 * and rhui: same channel and rhui, else ga with the same rhui, else NULL. (leapp's
 * RepoMapDataHandler does the same: never mix content from different clouds.)
 */
const struct repomap_repo *repomap_find_target(const struct repomap *m, const char *pesid, const char *major,
					       const char *channel, const char *rhui);

#endif

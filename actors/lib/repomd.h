/* Target repository metadata: where it is on this machine, fetched first when it is remote. */
#ifndef ACTORS_REPOMD_H
#define ACTORS_REPOMD_H

#include <jansson.h>
#include <stddef.h>

#include "download.h"

/*
 * The planner, the target userspace and the RPM upgrade read rpm-md metadata with libsolv from
 * a local directory holding repodata/. For a file:// (or absolute) baseurl that is the baseurl
 * itself. For an http(s):// repository, or one with only a mirrorlist, repomd_fetch() makes a
 * local copy: repodata/repomd.xml, then every file of the types the engine reads (primary,
 * filelists, modules, updateinfo) that it lists, each checked against the checksum repomd.xml
 * gives, into <cache_dir>/<repoid>/repodata/. repomd.xml is written last, so the copy is
 * complete whenever repomd.xml is there; a copy that still matches the server is reused.
 */

/* The local directory of a baseurl (file:///x or /x), or NULL for a remote one. */
const char *repomd_local_dir(const char *baseurl);

/* The base URLs of a TargetRepository JSON object: its baseurl list, then the entries of its
 * mirrorlist (fetched with o). NULL-terminated; 0 or -errno with *ret_err. */
int repomd_urls(const struct dl_opts *o, json_t *repo, char ***ret_urls, size_t *ret_n, char **ret_err);

/* Fetch the metadata of repository id from the first of urls that serves it completely into
 * <cache_dir>/<id>. *ret_dir: that directory (malloc'd). 0 or -errno with *ret_err naming the
 * repository and the URL. */
int repomd_fetch(const struct dl_opts *o, const char *id, char *const *urls, size_t n_urls, char **ret_dir,
		 char **ret_err);

/* repomd_urls() and repomd_fetch() in one, with its metalink= too: the metalink's mirrors
 * come after the baseurls, by preference, and every repomd.xml fetched (from any URL) must
 * match one of the metalink's hashes, or the next URL is tried. *ret_url: the base URL that
 * served it. Failed URLs are logged through o->log. */
int repomd_fetch_repo(const struct dl_opts *o, json_t *repo, char **ret_dir, char **ret_url, char **ret_err);

/* The directory holding repodata/ for a TargetRepository JSON object: its metadata_path when
 * set, else its first baseurl when local, else NULL. */
const char *repomd_dir_of(json_t *repo);

/* One <data> entry of a repomd.xml. */
struct repomd_data {
	char *type, *href, *checksum_type, *checksum;
	uint64_t size;
};
/* Parse the <data> entries of a repomd.xml text. 0 or -EINVAL. */
int repomd_parse(const char *xml, struct repomd_data **ret, size_t *ret_n);
void repomd_data_free(struct repomd_data *d, size_t n);

#endif

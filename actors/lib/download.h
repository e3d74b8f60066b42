/* Fetching package files into leapp's cache: file://, http:// and https:// base URLs (libcurl,
 * several transfers at a time), resumable, verified against the repository checksum before a
 * file gets its final name. */
#ifndef ACTORS_DOWNLOAD_H
#define ACTORS_DOWNLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Layout: <cache_dir>/<repoid>/<location>, e.g. packages/almalinux9-baseos/Packages/bash-5.1-1.el9.x86_64.rpm.
 * A transfer writes <final>.part and renames it to <final> only after the size and checksum
 * match the repository metadata, so a file under a final name is always complete and verified
 * (and it is verified again whenever it is used from the cache: a damaged one is fetched anew).
 *
 * What is left behind on failure:
 *   - a network failure (timeout, refused, a 5xx, a cut transfer) keeps <final>.part: the next
 *     run resumes it with an HTTP Range request (a server without ranges: from the start);
 *   - a checksum mismatch removes the .part (a resumed one is first fetched once more whole);
 *   - running out of space removes every .part of the run (and nothing is renamed).
 *
 * file:// URLs are host paths (DESIGN.md section 4: never under --root); their files are
 * copied into the cache, so that the upgrade does not depend on the path after the reboot.
 * Retries: a failed transfer is retried on the same URL `retries` times with a delay of
 * backoff, 2*backoff, 4*backoff..., then the next base URL of the repository is tried; a
 * missing file (HTTP 404/403/410, ENOENT) or a checksum mismatch goes to the next URL at once.
 * When every URL failed, the whole run stops and the error names the URLs.
 */

struct dl_repo {
	const char *id;
	char *const *urls;          /* base URLs in order of preference (baseurl=, then a mirrorlist's) */
	size_t n_urls;
};

struct dl_item {
	/* in */
	const char *repoid;
	const char *location;       /* href relative to a base URL (no "..", not absolute) */
	const char *checksum_type;  /* sha256, sha512, sha384, sha224, sha1 (or sha), md5 */
	const char *checksum;       /* hex */
	uint64_t size;              /* bytes; 0: unknown */
	const char *label;          /* shown in messages (the NEVRA) */
	/* out */
	char *path;                 /* the final path in the cache */
	char *url;                  /* the URL that served it in this run; NULL: it was in the cache */
	bool cached;                /* it was in the cache, verified */
	bool done;                  /* it is in the cache now, verified */
	char *error;                /* why not, naming the URL(s) */
};

struct dl_opts {
	const char *cache_dir;
	int parallel;               /* transfers at once; <= 0: 4 */
	int retries;                /* retries per URL; < 0: 3 */
	double backoff;             /* seconds before the first retry; <= 0: 1 */
	long timeout;               /* seconds to connect, and the longest stall; <= 0: 30 */
	void (*progress)(uint64_t done, uint64_t total, void *userdata);   /* bytes of what is fetched */
	void (*log)(const char *line, void *userdata);                     /* retries, resumes, refetches */
	void *userdata;
};

struct dl_stats {
	size_t cached;              /* items found in the cache */
	size_t fetched;             /* items fetched in this run */
	uint64_t bytes;             /* bytes received in this run */
};

/*
 * Put every item into the cache. Returns 0 when all are done. Otherwise a negative errno and a
 * summary in *ret_err; the items that failed carry their own error:
 *   -ENOSPC  the cache's filesystem is too small or filled up (checked first against the sizes
 *            in the metadata, then on every write); the partial files are removed
 *   -EIO     a file could not be fetched from any URL (network, HTTP error, timeout)
 *   -EBADMSG a checksum mismatch on every URL
 *   -EINVAL  bad input (no URL for the repository, a bad location, an unknown checksum type)
 */
int dl_run(const struct dl_opts *o, const struct dl_repo *repos, size_t n_repos, struct dl_item *items, size_t n_items,
	   struct dl_stats *ret_stats, char **ret_err);
void dl_item_clear(struct dl_item *it);

/* Fetch a small resource (a mirrorlist, a key) into memory, at most limit bytes: file://,
 * http(s)://, with the timeout and retries of o. NUL-terminated. 0 or -errno with *ret_err. */
int dl_fetch_small(const struct dl_opts *o, const char *url, size_t limit, char **ret_data, size_t *ret_len,
		   char **ret_err);

/* The URLs a mirrorlist lists (one per line; # comments and blank lines skipped; a metalink
 * is refused with -EPROTONOSUPPORT). 0 or -errno. */
int dl_parse_mirrorlist(const char *text, char ***ret_urls, size_t *ret_n);

/* librpm's hash algorithm (PGPHASHALGO_*) for a repository checksum type, or -EINVAL. */
int dl_hash_algo(const char *checksum_type);
/* The hex digest of a file. 0 or -errno. */
int dl_file_digest(const char *path, int algo, char **ret_hex);

/* Replace $basearch, $arch and $releasever in a repository URL. malloc'd. */
char *dl_expand_vars(const char *url, const char *basearch, const char *releasever);

#endif

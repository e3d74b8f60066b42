/*
 * The fetch domain (actors/lib/fetch/): fetching: repo files, repository metadata (repomd), mirrorlists, downloads and package
 * fetching with signature checks.
 *
 * The one header of the domain: every actor using it includes "fetch.h".
 */
#ifndef LEAPP_DOMAIN_FETCH_H
#define LEAPP_DOMAIN_FETCH_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rpm.h"

/* ======== download ======== */

/* Fetching package files into leapp's cache: file://, http:// and https:// base URLs (libcurl,
 * several transfers at a time), resumable, verified against the repository checksum before a
 * file gets its final name. */

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

/* ======== repofile ======== */

/* dnf .repo files: parsing with dnf's rules (variables, lists, booleans), with file:line errors. */

struct repo_vars {
	char **names, **values;
	size_t n;
};

/* Load variables: releasever, basearch, arch, then every file in <root>/etc/dnf/vars and
 * <root>/etc/yum/vars (file name = variable, first line = value). root may be "/". */
void repofile_vars_init(struct repo_vars *v, const char *root, const char *releasever, const char *basearch);
/* Set (or replace) one variable. */
void repofile_vars_set(struct repo_vars *v, const char *name, const char *value);
/* Free the variables (not v itself). */
void repofile_vars_clear(struct repo_vars *v);
/* Expand $name and ${name}; unknown variables are left as written (as dnf does). */
char *repofile_vars_expand(const struct repo_vars *v, const char *s);

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
json_t *repofile_entry_to_json(const struct repo_entry *e);

/* Split a dnf list value (whitespace, commas, newlines): NULL-terminated, malloc'd strings (NULL
 * when there are none), the count in *ret_n. */
char **repofile_list_split(const char *s, size_t *ret_n);

/* ======== repomd ======== */

/* Target repository metadata: where it is on this machine, fetched first when it is remote. */

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

/* ======== pkgfetch ======== */

/* Fetch and verify a set of target packages for an actor: the repositories (TargetRepository
 * JSON: baseurl, mirrorlist, gpgcheck), the package cache (download.c), then the signature and
 * digests of every file (keys.c). Shared by download_packages and target_userspace_creator. */

struct pkgfetch_opts {
	const char *root;           /* --root: paths in the messages are also given relative to it */
	const char *cache_dir;      /* host path, normally <root>/var/lib/leapp/packages */
	const char *basearch;       /* $basearch in URLs */
	const char *releasever;     /* $releasever in URLs (the target version) */
	int parallel, retries;      /* see dl_opts */
	long timeout;
	double backoff;
	bool gpgcheck;              /* false: --nogpgcheck (digests are still checked) */
	void (*progress)(const char *what, uint64_t done, uint64_t total, void *userdata);
	void (*log)(const char *line, void *userdata);
	void *userdata;
};

struct pkgfetch_pkg {
	/* in (a PlannedRPM-shaped object) */
	char *name, *version, *release, *arch, *repo, *location, *checksum_type, *checksum, *action;
	uint64_t epoch, size;
	bool installonly;
	char *nevra;                /* name-[E:]V-R.arch, the epoch only when not 0 */
	/* out */
	struct dl_item dl;          /* dl.path: the file in the cache */
	bool sig_checked;           /* false: --nogpgcheck or the repository's gpgcheck=0 */
	const char *sig_status;     /* DownloadedPackage.signature: ok, unsigned, nogpgcheck, repo-gpgcheck-off */
	struct keys_check check;    /* the verification's verdict */
};

/* Fill p from a PlannedRPM (or any object with those keys). -EINVAL without name/version/... */
int pkgfetch_pkg_from_json(json_t *o, struct pkgfetch_pkg *p);
void pkgfetch_pkg_clear(struct pkgfetch_pkg *p);

/*
 * Fetch every package into the cache and verify it. Returns 0 when all files are in the cache
 * with matching checksums; each package's verdict is in check (KEYS_OK, or a problem the
 * caller reports; a KEYS_CORRUPT file has been removed from the cache). Returns -errno with
 * *ret_err when the download failed (dl_run's codes) or the repositories are unusable.
 */
int pkgfetch_run(const struct pkgfetch_opts *o, json_t *repos, const struct keys_set *trusted, struct pkgfetch_pkg *pkgs,
		 size_t n, struct dl_stats *ret_stats, char **ret_err);

/* A package's problem, one line: "bash-5.1-1.el9.x86_64 (almalinux9-baseos): signed with key
 * 0123456789abcdef, which is not trusted" (NULL when it is fine). */
char *pkgfetch_problem(const struct pkgfetch_pkg *p);

/* The DownloadedPackage message of a verified package. */
json_t *pkgfetch_pkg_to_json(const struct pkgfetch_opts *o, const struct pkgfetch_pkg *p);

/* p relative to root ("/" when they are the same), malloc'd; p itself when it is not below root. */
char *pkgfetch_in_root(const char *root, const char *p);

/* ---- metalinks (metalink.c) ---- */

struct metalink_hash {
	char *type;                 /* md5, sha1, sha256, sha512 */
	char *value;                /* lowercase hex */
};

struct metalink {
	char **urls;                /* base URLs (without "repodata/repomd.xml"), most preferred first */
	size_t n_urls;
	struct metalink_hash *hashes;   /* of the current repomd.xml and its alternates */
	size_t n_hashes;
};

/*
 * Parse a metalink (version 3.0, as MirrorManager writes it): the <file name="repomd.xml">
 * entry's <verification> hashes (its <mm0:alternates> too) and its <url> elements, sorted by
 * their preference attribute (higher first; equal ones keep their order). A URL must end with
 * "repodata/repomd.xml". Returns 0, or -EINVAL with the problem in *ret_err.
 */
int metalink_parse(const char *xml, struct metalink *ret, char **ret_err);
void metalink_clear(struct metalink *m);

/* Fetch url (http(s):// or file://) with o and parse it. 0 or -errno with *ret_err naming url. */
int metalink_fetch(const struct dl_opts *o, const char *url, struct metalink *ret, char **ret_err);

/*
 * Does data (a repomd.xml) match one of the metalink's hashes? Of each hash type only the
 * strongest present is used (sha512, then sha256, sha1, md5, as librepo does). 0 when it
 * matches, -EBADMSG when not (with *ret_err giving the expected and actual digest), -EINVAL
 * when the metalink lists no hash of a known type.
 */
int metalink_verify(const struct metalink *m, const void *data, size_t len, char **ret_err);

#endif

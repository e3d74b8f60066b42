/* Fetch and verify a set of target packages for an actor: the repositories (TargetRepository
 * JSON: baseurl, mirrorlist, gpgcheck), the package cache (download.c), then the signature and
 * digests of every file (keys.c). Shared by download_packages and target_userspace_creator. */
#ifndef ACTORS_PKGFETCH_H
#define ACTORS_PKGFETCH_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "download.h"
#include "keys.h"

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

#endif

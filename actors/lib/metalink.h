/* Metalinks (dnf's metalink=): the mirrors of a repository's repomd.xml by preference, and the
 * hashes that repomd.xml must have. */
#ifndef ACTORS_METALINK_H
#define ACTORS_METALINK_H

#include <stddef.h>

#include "download.h"

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

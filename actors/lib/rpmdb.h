/* Reading the installed-package database (rpmdb) under --root with librpm, strictly read-only. */
#ifndef ACTORS_RPMDB_H
#define ACTORS_RPMDB_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * One installed package, with what the checks and the planner need of its header.
 * Strings are malloc'd; optional ones are NULL when the header has no such tag.
 */
struct rpmdb_pkg {
	char *name, *version, *release, *arch;
	uint32_t epoch;          /* 0 when the header has none */
	char *vendor, *packager;
	char *pgpsig;            /* "RSA/SHA256, <date>, Key ID <16 hex>" as `rpm -q --qf %{RSAHEADER:pgpsig}` */
	char *key_id;            /* long key id, 16 lowercase hex; NULL: unsigned */
	char *digest_algo;       /* hash algorithm of the signature, e.g. SHA256, SHA1; NULL: unsigned */
	char *pubkey_algo;       /* RSA, DSA, ECDSA, EdDSA; NULL: unsigned */
	char *modularitylabel;   /* name:stream:version:context, or NULL */
	int64_t install_time;
};

struct rpmdb_pkgs {
	struct rpmdb_pkg *v;
	size_t n;
	char *dbpath;            /* the database directory used, relative to the root (/var/lib/rpm) */
};

/*
 * Read every package of the rpmdb under root (the --root directory, "/" for the host).
 * The database is looked for in /var/lib/rpm, then /usr/lib/sysimage/rpm (el10); _dbpath is
 * set explicitly because Debian's librpm defaults to ~/.rpmdb.
 *
 * Nothing under root is changed, not even the database's side files: sqlite databases are
 * opened through a VFS that opens every database file O_RDONLY and never maps the shared
 * -shm index, so sqlite reads the WAL itself (the way it reads a database on a read-only
 * filesystem). Returns 0, -ENOENT when there is no database, or another -errno with a
 * message in *ret_err.
 */
int rpmdb_read_all(const char *root, struct rpmdb_pkgs *ret, char **ret_err);
void rpmdb_pkgs_clear(struct rpmdb_pkgs *p);

/* JSON in the shape of the RPM model (libmsg/models/system.yaml). */
json_t *rpmdb_pkg_to_json(const struct rpmdb_pkg *p);

/* Name of a package as the reports show it: name-[epoch:]version-release.arch */
char *rpmdb_pkg_nevra(const struct rpmdb_pkg *p);

#endif

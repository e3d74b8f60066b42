/*
 * The rpm domain (actors/lib/rpm/): RPM: the rpmdb, EVR comparison, signing keys, the rpm environment (root, dbpath, logs),
 * transactions.
 *
 * The one header of the domain: every actor using it includes "rpm.h".
 */
#ifndef LEAPP_DOMAIN_RPM_H
#define LEAPP_DOMAIN_RPM_H

#include <jansson.h>
#include <rpm/rpmtypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>


/* ======== rpmdb ======== */

/* Reading the installed-package database (rpmdb) under --root with librpm, strictly read-only. */

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

/* ======== evr ======== */

/* RPM version comparison (rpmvercmp's rules) without linking librpm. */

/* Compare two version or release strings the way rpmvercmp() does: alphanumeric segments,
 * numbers numerically, '~' sorts before anything, '^' after the end. Returns -1, 0 or 1. */
int evr_vercmp(const char *a, const char *b);

/* Compare epoch:version-release; a NULL release is not compared (as rpm's EVR matching). */
int evr_cmp(uint32_t e1, const char *v1, const char *r1, uint32_t e2, const char *v2, const char *r2);

/* Compare dotted release versions such as "8.10" and "9.6" (upgrade_paths.json keys). */
int evr_release_cmp(const char *a, const char *b);

/* ======== keys ======== */

/* OpenPGP keys for package signatures: the keys of an rpmdb and of key files, a librpm keyring
 * of them, and the verification of a package file (signature, header and payload digests). */

/* One public key (a certificate: the primary key with its user ids and subkeys). */
struct keys_key {
	char *key_id;          /* long id of the primary key, 16 lowercase hex */
	char *fingerprint;     /* lowercase hex */
	char *user_id;         /* first user id, or NULL */
	uint32_t created;      /* creation time of the primary key */
	char *gpg_pubkey;      /* gpg-pubkey-<short id>-<created>, 8 lowercase hex each (the rpmdb NVR) */
	char **subkey_ids;     /* long ids of the subkeys */
	size_t n_subkeys;
	char *armored;         /* ASCII armor of this one certificate */
	uint8_t *pkt;          /* the certificate's packets */
	size_t pktlen;
	bool in_rpmdb;         /* read from an rpmdb */
	char *file;            /* read from this key file, or NULL */
};

struct keys_set {
	struct keys_key *v;
	size_t n;
};

/*
 * Append the keys imported in root's rpmdb (its gpg-pubkey headers). The rpmdb is read from
 * a private copy made below tmp_parent (a host directory; removed afterwards), so nothing of
 * root changes, not even sqlite's side files. 0, -ENOENT (no rpmdb), or -errno with *ret_err.
 */
int keys_read_rpmdb(const char *root, const char *tmp_parent, struct keys_set *set, char **ret_err);

/* Append every key of an ASCII-armored (or binary) key file; several armor blocks, and several
 * certificates in one block, are allowed. A key already in the set (same fingerprint) is
 * merged: in_rpmdb/file are combined. 0, or -errno with a message naming the file. */
int keys_read_file(const char *path, struct keys_set *set, char **ret_err);

/* The same from armored text; `origin` names it in messages and becomes key->file. */
int keys_read_armored(const char *armored, const char *origin, struct keys_set *set, char **ret_err);

/* Move every key of src into dst (merging duplicates, as the readers do); src ends empty. */
void keys_set_merge(struct keys_set *dst, struct keys_set *src);

/* The key whose primary or subkey id is key_id (16 hex, any case), or NULL. */
struct keys_key *keys_find(const struct keys_set *set, const char *key_id);
/* The key with this gpg-pubkey NVR, or NULL. */
struct keys_key *keys_find_nvr(const struct keys_set *set, const char *gpg_pubkey);
/* Remove the key at index i. */
void keys_remove(struct keys_set *set, size_t i);
void keys_set_clear(struct keys_set *set);

/* JSON of the GpgKey model (libmsg/models/download.yaml) without source/repos; and back
 * (from GpgKey messages: the armored key is parsed again). */
json_t *keys_key_to_json(const struct keys_key *k);
int keys_set_from_json(json_t *gpgkeys, struct keys_set *set, char **ret_err);

/*
 * A package verifier: a librpm keyring of the keys (with their subkeys) in a transaction set
 * that never opens an rpmdb.
 */
struct keys_verifier;
struct keys_verifier *keys_verifier_new(const struct keys_set *set);
void keys_verifier_free(struct keys_verifier *v);

enum keys_verdict {
	KEYS_OK,            /* signed by a key of the set; digests match */
	KEYS_UNSIGNED,      /* digests match, no signature (only acceptable without a signature check) */
	KEYS_NOKEY,         /* signed by a key not in the set */
	KEYS_NOTTRUSTED,    /* signed by a key of the set that librpm does not trust (e.g. expired) */
	KEYS_BAD_SIGNATURE, /* a signature that does not verify: tampered with, or corrupt */
	KEYS_CORRUPT,       /* not a readable package, or a header/payload digest mismatch */
};
const char *keys_verdict_name(enum keys_verdict v);

struct keys_check {
	enum keys_verdict verdict;
	char *key_id;       /* long id named by the signature (16 hex), or NULL */
	char *detail;       /* librpm's or our explanation, or NULL */
};

/*
 * Verify a package file: its header (signature when check_signature, and digests) with
 * librpm, then the payload against the header's payload digest. Returns 0 with the verdict
 * in *ret (free with keys_check_clear), or -errno when the file cannot be read at all.
 */
int keys_verify_package(struct keys_verifier *v, const char *path, bool check_signature, struct keys_check *ret);
void keys_check_clear(struct keys_check *c);

/* ======== sigs ======== */

/* distro/<id>/gpg-signatures.json (leapp-repository's format): which keys sign the
 * distribution's packages, and which keys each target major release no longer trusts:
 *   {"keys": {"<16 hex key id>": ["gpg-pubkey-<8 hex>-<8 hex>", ...], ...},
 *    "obsoleted-keys": {"<major>": ["gpg-pubkey-...", ...], ...}}     (obsoleted-keys optional)
 * The whole document is checked when read: a key id that is not 16 hex digits, a list that is
 * not of gpg-pubkey names, a major that is not a number is an error naming the file and the
 * entry, never a silently ignored key. Key ids and names are kept lowercase. */
struct rpm_sigs {
	json_t *keys;      /* key id -> array of gpg-pubkey NVRs */
	json_t *obsoleted; /* "major" -> array of gpg-pubkey NVRs */
};
/* From text (shown names the file in messages, JSON errors with line and column) or from a
 * parsed document. 0, or -EINVAL with *ret_err; *ret is empty on error. */
int rpm_sigs_parse(const char *data, size_t len, const char *shown, struct rpm_sigs *ret, char **ret_err);
int rpm_sigs_from_json(json_t *doc, const char *shown, struct rpm_sigs *ret, char **ret_err);
/* A package signed with key_id (16 hex, any case) is the distribution's. */
bool rpm_sigs_has_key(const struct rpm_sigs *s, const char *key_id);
/* nvr (gpg-pubkey-...) is one of the distribution's key packages. */
bool rpm_sigs_has_pubkey(const struct rpm_sigs *s, const char *nvr);
/* The keys obsoleted by target major `major` (borrowed array), or NULL. */
json_t *rpm_sigs_obsoleted(const struct rpm_sigs *s, int major);
void rpm_sigs_clear(struct rpm_sigs *s);

/* ======== rpmenv ======== */

/* librpm set-up shared by the package code (keys.c, rpmtrans.c): configuration read once,
 * librpm's messages captured instead of printed, where a root keeps its rpmdb, and private
 * copies of an rpmdb. */

/*
 * Read librpm's configuration (rpmrc, macros) once per process and route rpmlog into a buffer
 * (rpmenv_log()) instead of stderr. Debian's rpm keeps its database in ~/.rpmdb unless
 * %_dbpath says otherwise: every user of this module sets %_dbpath itself. Returns 0 or -EIO.
 */
int rpmenv_init(char **ret_err);

/* What librpm logged (warnings and errors, one per line) since rpmenv_log_clear(); "" when
 * nothing. Borrowed, valid until the next librpm call. */
const char *rpmenv_log(void);
/* The last warning or error line librpm logged since rpmenv_log_clear(), or NULL. */
const char *rpmenv_log_last(void);
void rpmenv_log_clear(void);
/* Also hand every line librpm logs to cb (e.g. actor_log), with rpm's level (RPMLOG_ERR...). */
void rpmenv_log_forward(void (*cb)(int rpm_level, const char *line, void *userdata), void *userdata);

/* The rpmdb directory of root, relative to it: "/var/lib/rpm" (el8, el9) or
 * "/usr/lib/sysimage/rpm" (el10), whichever holds a database; NULL when neither does. */
const char *rpmenv_dbpath(const char *root);

/*
 * Copy root's rpmdb into a new directory mkdtemp("<parent>/rpmdb.XXXXXX"). Every regular file
 * of the database directory is copied, sqlite's -wal and -shm included (the WAL may hold
 * committed packages); BerkeleyDB environment files (__db.*) and lock files (.*) are not:
 * they belong to the live system and librpm recreates them. The original is only read.
 * Returns 0 with the new directory's path in *ret_dir, -ENOENT when root has no rpmdb.
 */
int rpmenv_rpmdb_copy(const char *root, const char *parent, char **ret_dir, char **ret_err);

/* The copying part of rpmenv_rpmdb_copy(): every regular database file of src_dir into the
 * existing dst_dir (not __db.* environment files, not dot files). 0 or -errno with *ret_err. */
int rpmenv_copy_db_files(const char *src_dir, const char *dst_dir, char **ret_err);

/* path relative to root ("/" when they are the same), malloc'd; path itself when it is not
 * below root. librpm joins its root and %_dbpath, so a dbpath must be given this way. */
char *rpmenv_in_root(const char *root, const char *path);

/* Copy one file (O_EXCL on the target), preserving nothing but the content. 0 or -errno. */
int rpmenv_copy_file(const char *src, const char *dst);

/* ======== rpmtrans ======== */

/* An RPM transaction with librpm: package files to install or upgrade, installed packages to
 * erase, key imports; run as a test (the Download phase) or for real (the target userspace,
 * the RPM upgrade), with progress and a result per problem and per package. */

/*
 * Usage (the test of the planned transaction):
 *   struct rpmtrans_opts o = {.root = root, .dbpath = "/var/lib/leapp/scratch/x/rpmdb.123",
 *                             .test = true};
 *   rpmtrans_new(&o, &t, &err);
 *   rpmtrans_add_package(t, "/var/lib/leapp/packages/.../bash.rpm", RPMTRANS_UPGRADE, &err);
 *   rpmtrans_add_erase(t, "network-scripts-10.00.18-1.el8.x86_64", &err);          for each removal
 *   rpmtrans_run(t, &result, &err);       result.problems: file conflicts, disk space, deps...
 *   rpmtrans_result_free(&result); rpmtrans_free(t);
 *
 * The real upgrade (RPMUpgrade, after the reboot) is the same with .test = false and the
 * system's dbpath, after rpmtrans_import_key() of TargetGpgKeys.to_import: packages are
 * verified by librpm against the rpmdb's keys when .verify is set, scriptlets run chrooted
 * in root, install-only packages (kernels) go beside the installed versions, and
 * result.packages says what happened to each element.
 *
 * Erasures: rpm itself erases what an upgraded package replaces (older versions of its name
 * and what it obsoletes), as `rpm -U` does; rpmtrans_add_erase() adds the plan's other
 * removals. rpmtrans_erasures() lists what the transaction will erase, to compare with a plan.
 *
 * One transaction per process at a time: librpm's macros (%_dbpath) are process-wide.
 */

struct rpmtrans_opts {
	const char *root;           /* the system root ("/" or --root); scriptlets run chrooted in it */
	const char *dbpath;         /* the rpmdb, relative to root; NULL: where root has one, else /var/lib/rpm */
	bool test;                  /* RPMTRANS_FLAG_TEST: nothing installed, no scriptlets, db read-only */
	bool noscripts;             /* no scriptlets and no triggers */
	bool plugins;               /* librpm's plugins (selinux, systemd_inhibit, ...); off: --noplugins */
	bool verify;                /* verify signatures and digests when reading packages (rpmdb keyring) */
	bool create_db;             /* a new, empty rpmdb (a fresh root: the target userspace) */
	int script_fd;              /* scriptlet output is appended here (0: discarded) */
	/* what: "preparing", "installing", "erasing", "verifying"; done/total elements or bytes */
	void (*progress)(const char *what, uint64_t done, uint64_t total, void *userdata);
	void *userdata;
};

struct rpmtrans;

int rpmtrans_new(const struct rpmtrans_opts *o, struct rpmtrans **ret, char **ret_err);
void rpmtrans_free(struct rpmtrans *t);

enum rpmtrans_how {
	RPMTRANS_AUTO,              /* a reinstall when exactly its NEVRA is installed, else an upgrade
				     * (a lookup in the rpmdb per package: tell it when you know) */
	RPMTRANS_UPGRADE,           /* replaces the installed versions of its name, older or newer
				     * (a downgrade too), and what it obsoletes, as rpm -U --oldpackage */
	RPMTRANS_BESIDE,            /* installed beside the installed versions (install-only: kernels) */
	RPMTRANS_REINSTALL,         /* the same NEVRA is installed: replaced by this file */
};

/* Add a package file. The header is read (and verified with .verify) now. Returns 0, or -errno
 * with a message naming the file. */
int rpmtrans_add_package(struct rpmtrans *t, const char *path, enum rpmtrans_how how, char **ret_err);

/* Erase an installed package by "name-[epoch:]version-release[.arch]" (the arch may be left
 * out, e.g. gpg-pubkey-099cbde2-65920080). -ENOENT when it is not installed. */
int rpmtrans_add_erase(struct rpmtrans *t, const char *nevra, char **ret_err);

/* Import an ASCII-armored public key into the rpmdb now (not in a test transaction: -EROFS). */
int rpmtrans_import_key(struct rpmtrans *t, const char *armored, char **ret_err);

/* The NEVRAs (name-[E:]V-R.arch) the transaction will erase / install, as rpm has it now.
 * NULL-terminated, malloc'd. */
char **rpmtrans_erasures(struct rpmtrans *t);
char **rpmtrans_installs(struct rpmtrans *t);

/*
 * The older versions an interrupted transaction left installed beside a newer version of the
 * same name (rpm -U erases the old version only after the new one is in): NEVRAs as
 * rpmtrans_erasures() writes them, NULL-terminated, malloc'd; erase them with
 * rpmtrans_add_erase(). Two versions count as duplicates when their arch is the same or one
 * of them is noarch (a multilib pair stays). Never duplicates: gpg-pubkey, and packages whose
 * name or one of whose provides is in installonly (kernels are installed side by side).
 */
char **rpmtrans_duplicates(struct rpmtrans *t, char *const *installonly, size_t n_installonly);

enum rpmtrans_problem_kind {
	RPMTRANS_PROB_FILE_CONFLICT,
	RPMTRANS_PROB_DISK_SPACE,
	RPMTRANS_PROB_DISK_INODES,
	RPMTRANS_PROB_REQUIRES,
	RPMTRANS_PROB_CONFLICTS,
	RPMTRANS_PROB_OBSOLETES,
	RPMTRANS_PROB_INSTALLED,
	RPMTRANS_PROB_OLD_PACKAGE,
	RPMTRANS_PROB_BAD_ARCH,
	RPMTRANS_PROB_BAD_OS,
	RPMTRANS_PROB_VERIFY,
	RPMTRANS_PROB_OTHER,
};
/* "file-conflict", "disk-space", ... (the TransactionTestProblem kinds) */
const char *rpmtrans_problem_kind_name(enum rpmtrans_problem_kind k);

struct rpmtrans_problem {
	enum rpmtrans_problem_kind kind;
	char *package;              /* the NEVRA it belongs to (requires: the element that breaks it) */
	char *other;                /* the other package (file conflicts; requires, conflicts: the one that
				     * has the dependency) */
	char *file;                 /* file conflicts */
	char *dependency;           /* requires, conflicts */
	char *filesystem;           /* disk space and inodes: the mount point inside root */
	uint64_t needed;            /* disk space: bytes, inodes: count */
	char *message;              /* rpm's wording */
};

enum rpmtrans_pkg_state {
	RPMTRANS_PKG_DONE,          /* installed or erased */
	RPMTRANS_PKG_FAILED,        /* unpacking failed, or a %pre/%preun scriptlet failed: not done */
	RPMTRANS_PKG_NOT_RUN,       /* the transaction stopped before it */
};

struct rpmtrans_pkg {
	char *nevra;
	bool erase;
	enum rpmtrans_pkg_state state;
	char *detail;               /* why it failed */
};

struct rpmtrans_result {
	bool ok;                    /* no problems, and (not a test) every element done */
	struct rpmtrans_problem *problems;
	size_t n_problems;
	size_t installs, erasures;  /* elements of the transaction */
	struct rpmtrans_pkg *packages;    /* every element (in the transaction's order), not in a test */
	size_t n_packages;
	char **script_failures;     /* "bash-5.1-1.el9.x86_64: %post scriptlet failed (exit status 1)" */
	size_t n_script_failures;
	char *rpm_log;              /* warnings and errors librpm logged, or NULL */
};

/*
 * Check the dependencies, order, and run (test or real). Dependency problems end it before
 * the run (as `rpm -U` does). Returns 0 with the outcome in *ret (problems or not), or -errno
 * when the transaction could not be run at all (e.g. the rpmdb cannot be opened).
 */
int rpmtrans_run(struct rpmtrans *t, struct rpmtrans_result *ret, char **ret_err);
void rpmtrans_result_free(struct rpmtrans_result *r);

/* librpm's version ("4.18.0"). */
const char *rpmtrans_rpm_version(void);

/* ---- rebuilding an rpmdb in the target's format, crash-safely (rpmrebuild.c) ---- */

/*
 * An el8 system keeps its rpmdb in BerkeleyDB; el9's librpm reads that only through bdb_ro
 * (read-only), so before the el9 transaction the database is rebuilt in sqlite, as upstream
 * does with `rpmdb --rebuilddb` by the target's rpm. Here, for root's dbpath D (e.g.
 * /var/lib/rpm):
 *   1. librpm's rebuild (rpmtsRebuildDB) writes the new database into D"rebuilddb.leapp"
 *      (%_dbpath_rebuild), reading the old one read-only;
 *   2. both are read again: the package count and the sha256 of every header blob must be
 *      equal; every file of the new one is fsync'd;
 *   3. the durable mark D"rebuilddb.leapp.verified" is written (fsync'd, with its directory);
 *   4. the two directories are exchanged atomically (renameat2 RENAME_EXCHANGE; where the
 *      filesystem cannot, D is renamed to D"old.leapp" and the new one into place);
 *   5. the old database and the mark are removed.
 * Without the mark, a leftover D"rebuilddb.leapp" is an unfinished rebuild: it is removed and
 * the rebuild starts again from the old database, which was never touched. With the mark,
 * the rebuild is complete and verified: the run finishes steps 4 and 5.
 *
 * Test hook: with LEAPP_DEVEL_REBUILD_HOLD set in the environment, the rebuild stops at each
 * stage ("start", "rebuilt", "verified", "swapped") for which root/var/tmp/rpmdb-rebuild.hold-STAGE
 * exists, after creating root/var/tmp/rpmdb-rebuild.at-STAGE, until the hold file is removed
 * (so that a test can kill it there).
 */
struct rpmrebuild_result {
	bool rebuilt;           /* the database was (or had been, in an interrupted run) rebuilt */
	bool resumed;           /* an interrupted rebuild's leftovers were found (finished or discarded) */
	char *from, *to;        /* formats: "bdb", "sqlite", "ndb" */
	size_t packages;        /* headers in the database */
	double seconds;         /* librpm's rebuild, the verification and the swap */
	double rebuild_seconds; /* librpm's rebuild alone */
	double verify_seconds;  /* reading both databases again and comparing */
	double sync_seconds;    /* fsync of the new database, the mark, the swap and the clean-up */
};

/* The rpmdb format of a database directory: "sqlite", "bdb", "ndb", or NULL when none. */
const char *rpmrebuild_format(const char *dir);

/* The format the running librpm writes (%_db_backend; "bdb_ro" never, as it cannot write). */
const char *rpmrebuild_target_format(void);

/*
 * Rebuild root's rpmdb at dbpath (relative to root; NULL: where root has one) in the target
 * format when it is in another one, or finish an interrupted rebuild. Returns 0 (with
 * ret->rebuilt false when there was nothing to do), or -errno with a message in *ret_err;
 * on an error the old database is still in place and whole.
 */
int rpmrebuild_run(const char *root, const char *dbpath, struct rpmrebuild_result *ret, char **ret_err);
void rpmrebuild_result_clear(struct rpmrebuild_result *r);

/* The sorted sha256 digests of every header blob in root's database at dbpath, and their
 * number: what a rebuild must keep. 0 or -errno with *ret_err. */
int rpmrebuild_digests(const char *root, const char *dbpath, char ***ret_digests, size_t *ret_n, char **ret_err);


/* ======== rpmfiles ======== */

/* The files the rpmdb records for a package: is a configuration file as its package shipped it? */
/*
 * Compare root + path with the digest, size and type the rpmdb under root records for it
 * (what `rpm -V` does for the file's contents). *ret_modified is true when the file differs
 * from what its package installed, or is missing; *ret_pkg (may be NULL) gets the name of the
 * package that owns it. Returns 0, -ENOENT when no installed package owns path (or there is
 * no rpmdb), or another -errno (the database cannot be read).
 */
int rpmdb_file_modified(const char *root, const char *path, char **ret_pkg, bool *ret_modified);

/*
 * Which of paths some installed package owns (a file, directory or symlink it installed):
 * ret_owned[i] for paths[i], with the rpmdb opened once. Returns 0, -ENOENT when there is no
 * rpmdb (every path unowned), or another -errno.
 */
int rpmdb_paths_owned(const char *root, const char *const *paths, size_t n, bool *ret_owned);

#endif

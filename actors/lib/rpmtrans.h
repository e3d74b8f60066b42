/* An RPM transaction with librpm: package files to install or upgrade, installed packages to
 * erase, key imports; run as a test (the Download phase) or for real (the target userspace,
 * the RPM upgrade), with progress and a result per problem and per package. */
#ifndef ACTORS_RPMTRANS_H
#define ACTORS_RPMTRANS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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

#endif

/* The planned transaction's engine: the installed rpmdb (read-only, under --root) and the target
 * rpm-md repositories in a libsolv pool, a distribution-upgrade job with tasks, and the result. */
#ifndef ACTORS_SOLVE_H
#define ACTORS_SOLVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Used by the planner (TargetTransactionFactsCollection) and meant for the phases after it:
 * the download phase checks solve_rpmdb_fingerprint() against the plan (check_rpmdb_unchanged),
 * and the RPM upgrade on resume re-solves from the current rpmdb with the same repositories and
 * tasks: replan_solve() in replan.h does that from the PlannedTransaction message (see
 * libmsg/models/transaction.yaml).
 *
 * Usage:
 *   struct solve_ctx *s = solve_new("x86_64");
 *   solve_load(s, root, repo_opts, n, ...);         rpmdb under root (never written) and the
 *                                                   repositories, in parallel; or one by one:
 *   solve_load_installed(s, root, &err); solve_add_repo(s, &repo_opts, &err); ...
 *   solve_add_exclude(s, "kernel-rt*"); solve_add_installonly(s, "kernel"); ...
 *   solve_set_module_filter(s, &filter);            optional (modules.c computes it)
 *   solve_run(s, tasks, n, &result, &err);
 *   ... result.items / result.problems ...
 *   solve_result_free(&result); solve_free(s);
 *
 * Errors are -errno with a message naming the repository and file in *ret_err (malloc'd).
 * The context holds one pool: one solve_run() per context.
 */

struct solve_ctx;

struct solve_repo_opts {
	const char *id;
	const char *baseurl;            /* file:///path or /path: the directory that holds repodata/ */
	char *const *exclude;           /* exclude= globs of this repository */
	size_t n_exclude;
	char *const *includepkgs;       /* includepkgs= globs (empty: everything) */
	size_t n_includepkgs;
	bool module_hotfixes;           /* exempt from modular filtering */
	int priority;                   /* dnf's priority (lower wins); 0 means dnf's default, 99 */
};

/*
 * Where the private rpmdb copies go (process-wide): an actor passes its scratch directory,
 * which is on disk; the default is $TMPDIR, a small tmpfs in the sandbox, too small for the
 * rpmdb of a big system. NULL goes back to $TMPDIR.
 */
void solve_set_workdir(const char *dir);

/* New context for a target architecture (e.g. "x86_64"). Never NULL (aborts on OOM). */
struct solve_ctx *solve_new(const char *arch);
void solve_free(struct solve_ctx *s);

/*
 * Load the installed packages from the rpmdb of root (/var/lib/rpm, else /usr/lib/sysimage/rpm).
 * The rpmdb is copied to a private directory (solve_set_workdir()) and read from there: librpm
 * writes even when it reads (a sqlite rpmdb's -shm file, BerkeleyDB environment files), and the
 * system must not change before the upgrade. Debian's librpm/libsolv ignore the root and use
 * ~/.rpmdb unless _dbpath says otherwise, so the macro is set explicitly.
 */
int solve_load_installed(struct solve_ctx *s, const char *root, char **ret_err);

/*
 * Load a repository's repomd.xml and primary metadata (filelists only later, when a file
 * dependency is not resolved without them). Every file's checksum is checked against
 * repomd.xml. -ENOENT for a missing repository or file, -EINVAL for corrupt metadata.
 */
int solve_add_repo(struct solve_ctx *s, const struct solve_repo_opts *o, char **ret_err);

/*
 * The rpmdb and every repository at once, each parsed in its own thread (into a private pool,
 * handed over in libsolv's solv format): the same as solve_load_installed() and a
 * solve_add_repo() per repository, in a fraction of the time on several cores. Returns -errno
 * with *ret_rpmdb_err when the rpmdb cannot be read; otherwise 0, with one message per
 * repository that failed in *ret_errors (malloc'd; the ones that loaded are in the context).
 */
int solve_load(struct solve_ctx *s, const char *root, const struct solve_repo_opts *repos, size_t n,
	       char **ret_rpmdb_err, char ***ret_errors, size_t *ret_n_errors);

/* The repository's modules.yaml (maybe compressed) as listed in repomd.xml, or NULL. */
const char *solve_repo_modules_path(struct solve_ctx *s, const char *repoid);
/* Its local directory (the one holding repodata/), or NULL. */
const char *solve_repo_path(struct solve_ctx *s, const char *repoid);

/* Does a loaded repository offer a package of this name from this vendor (NULL: any)? The
 * planner upgrades a third-party package only when its vendor ships a target build. */
bool solve_repo_has_name(struct solve_ctx *s, const char *name, const char *vendor);

/* A global exclude glob (dnf.conf [main] exclude=): applies to every repository. */
void solve_add_exclude(struct solve_ctx *s, const char *glob);
/* An install-only name (dnf's installonlypkgs; matched as a provide, like dnf). */
void solve_add_installonly(struct solve_ctx *s, const char *name);

/*
 * Modular filtering, the way dnf does it: a repository package listed as an artifact of a
 * module stream is visible only if that stream is active; a non-modular package is hidden
 * when an active stream has an artifact of the same name. NEVRAs are "name-E:V-R.arch"
 * (epoch always written), as in modules.yaml.
 */
struct solve_module_filter {
	char **modular;        /* every artifact of every stream in the repositories */
	size_t n_modular;
	char **active;         /* the artifacts of the active streams */
	size_t n_active;
};
void solve_set_module_filter(struct solve_ctx *s, const struct solve_module_filter *f);

enum solve_task_kind {
	SOLVE_TASK_INSTALL,    /* a package of this name must be installed (PES, admin to_install) */
	SOLVE_TASK_REMOVE,     /* installed packages of this name are removed */
	SOLVE_TASK_KEEP,       /* a package of this name stays installed, upgraded if possible */
	SOLVE_TASK_LOCK,       /* the installed packages of this name stay exactly as they are */
	SOLVE_TASK_NOTE,       /* no job: only the reason shown for this name (e.g. a PES move) */
};

struct solve_task {
	enum solve_task_kind kind;
	const char *name;
	const char *reason;    /* shown in the plan, e.g. "PES event 101 (split)" */
};

enum solve_action {
	SOLVE_ACTION_INSTALL,
	SOLVE_ACTION_UPGRADE,
	SOLVE_ACTION_DOWNGRADE,
	SOLVE_ACTION_REMOVE,
	SOLVE_ACTION_OBSOLETE,
	SOLVE_ACTION_KEEP,
	_SOLVE_ACTION_MAX,
};

/* "install", "upgrade", "downgrade", "remove", "obsolete", "keep" */
const char *solve_action_name(enum solve_action a);

struct solve_item {
	enum solve_action action;
	char *name, *version, *release, *arch;
	unsigned long epoch;
	char *repo;            /* target repository id, or "@System" for remove/obsolete/keep */
	char *reason;
	char *from;            /* NEVRAs of the installed packages it replaces (", "), or NULL */
	/* download data of install/upgrade/downgrade items (repository metadata) */
	char *location;        /* href relative to the repository's baseurl */
	char *checksum_type;   /* "sha256", ... */
	char *checksum;        /* hex */
	uint64_t size;         /* package size in bytes */
	bool installonly;
};

struct solve_problem {
	char *summary;         /* libsolv's problem string */
	char **rules;          /* every rule of the problem, libsolv's wording, deduplicated */
	size_t n_rules;
	char **packages;       /* package names involved */
	size_t n_packages;
	char **solutions;      /* libsolv's proposed solutions, one line each */
	size_t n_solutions;
};

struct solve_stats {
	double t_installed, t_repos, t_filelists, t_filter, t_solve;  /* seconds (per-thread sums) */
	double t_load;           /* wall time of solve_load() (rpmdb and repositories in parallel) */
	size_t n_installed, n_available, n_excluded, n_modular_hidden;
	bool filelists_loaded;
};

struct solve_result {
	struct solve_item *items;   /* sorted: action, then name */
	size_t n_items;
	struct solve_problem *problems;
	size_t n_problems;
	size_t counts[_SOLVE_ACTION_MAX];
};

/*
 * Solve: a distribution upgrade of every installed package, with the install-only names
 * multiversion (the newest target kernel is installed beside the installed ones, which stay),
 * vendor changes allowed. Unlike dnf --allowerasing, an installed package that has a target
 * version it cannot get is a problem, never a silent erase. An orphan (no target version)
 * stays, unless what it requires goes away (a PES removal): then it is removed, and the item
 * names the requirement. Returns 0 with either items or problems in *ret; -errno on failure.
 */
int solve_run(struct solve_ctx *s, const struct solve_task *tasks, size_t n_tasks, struct solve_result *ret,
	      char **ret_err);
void solve_result_free(struct solve_result *r);
const struct solve_stats *solve_get_stats(struct solve_ctx *s);

/*
 * The fingerprint of the installed packages loaded into s: "<count>:<sha256>" over the sorted
 * "NEVRA header-sha1 installtime" lines. Changes when any package is installed, removed,
 * upgraded or reinstalled. malloc'd.
 */
char *solve_installed_fingerprint(struct solve_ctx *s);

/*
 * The same fingerprint read afresh from root's rpmdb (read-only, as solve_load_installed).
 * For the phases after planning: compare with PlannedTransaction.rpmdb_fingerprint and stop
 * when they differ ("the RPM database changed since the upgrade was planned").
 * Returns 0 with the fingerprint and, optionally, the NEVRAs installed (sorted, NULL-ended).
 */
int solve_rpmdb_fingerprint(const char *root, char **ret_fingerprint, char ***ret_nevras, char **ret_err);

/* The installed NEVRAs (name-[E:]V-R.arch, sorted, NULL-terminated) of a loaded context. */
char **solve_installed_nevras(struct solve_ctx *s);

/*
 * Solve an installation into an empty root (the target userspace): the tasks of kind
 * SOLVE_TASK_INSTALL (a package name or a provide each) and what they require, from the loaded
 * repositories with their filters; weak dependencies are left out. No installed packages may be
 * loaded. Every item is SOLVE_ACTION_INSTALL, with the task's reason or why the solver pulled it
 * in. A task nothing provides is a problem naming it. 0 with items or problems; -errno on failure.
 */
int solve_run_install(struct solve_ctx *s, const struct solve_task *tasks, size_t n_tasks, struct solve_result *ret,
		      char **ret_err);

#endif

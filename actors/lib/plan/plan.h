/*
 * The plan domain (actors/lib/plan/): planning the upgrade transaction: PES events, the repository mapping, modules, the solver,
 * replanning, the target userspace, the plan's helpers and the RPM upgrade state.
 *
 * The one header of the domain: every actor using it includes "plan.h".
 */
#ifndef LEAPP_DOMAIN_PLAN_H
#define LEAPP_DOMAIN_PLAN_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fetch.h"
#include "rpm.h"

/* ======== upgrade paths ======== */

/* What upgrade_paths.json allows for one source release. The strings are borrowed from the
 * document and from the arguments; allowed is a new reference (the list, possibly empty). */
struct upgrade_path {
	const char *problem;          /* "none", "no-distro", "no-path", "target-not-allowed" */
	const char *matched_key;      /* the key of the source release (VERSION_ID or a virtual one), or NULL */
	const char *default_target;   /* the highest allowed target, or NULL */
	const char *target;           /* requested, else default_target */
	const char *source_virtual, *target_virtual; /* _virtual_versions (centos), or NULL */
	json_t *allowed;
};
/* Look the release up in a parsed upgrade_paths.json: paths[id][flavour][version_id] (or the
 * key _virtual_versions maps to version_id). requested: --target, or NULL. */
void upgrade_path_find(json_t *paths, const char *id, const char *flavour, const char *version_id, const char *requested,
		       struct upgrade_path *ret);

/* ======== solve ======== */

/* The planned transaction's engine: the installed rpmdb (read-only, under --root) and the target
 * rpm-md repositories in a libsolv pool, a distribution-upgrade job with tasks, and the result. */

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

/* ======== pes ======== */

/* PES (Package Evolution Service) events: reading pes-events.json and vendor files, and
 * turning the events into packages to install, remove and keep, the way leapp does. */

enum pes_action {
	PES_PRESENT = 0,
	PES_REMOVED = 1,
	PES_DEPRECATED = 2,
	PES_REPLACED = 3,
	PES_SPLIT = 4,
	PES_MERGED = 5,
	PES_MOVED = 6,
	PES_RENAMED = 7,
};

/* "present", "removed", ... for 0..7; "admin" for -1. */
const char *pes_action_name(int action);

/* A package of an event's in or out set. ms is "module:stream" or NULL (not modular). */
struct pes_pkg {
	char *name, *repo, *ms;
};

/* One event after expansion by its modulestream maps (so one PES entry may give several,
 * all with the same id). Releases are {major, minor}; {0, 0} when absent. */
struct pes_event {
	int id;
	int action;
	struct pes_pkg *in, *out;
	size_t n_in, n_out;
	int from[2], to[2];
	char **arches;
	size_t n_arches;
	bool vendor;          /* from vendors.d: applies to third-party packages too */
	char *file;           /* as shown in messages */
	size_t index;         /* position in the file's packageinfo list */
	char *description;    /* may be NULL */
};

struct pes_data {
	struct pes_event *ev;
	size_t n;
	char **files;
	size_t n_files;
	size_t n_entries;     /* packageinfo entries read, before expansion */
};

void pes_data_init(struct pes_data *d);
void pes_data_free(struct pes_data *d);

/*
 * Merge one parsed PES document (the format of pes-events-schema.json; vendor files too,
 * which write "module_stream" instead of "modulestreams" and omit modulestream_maps).
 * Returns 0 or -EINVAL with "FILE: $.packageinfo[N] (event ID): problem" in *ret_err, in
 * which case d is unchanged.
 */
int pes_merge_json(struct pes_data *d, json_t *doc, const char *shown, bool vendor, char **ret_err);

/* An installed package as PES sees it. */
struct pes_installed {
	const char *name;
	const char *repo;        /* source repoid, may be NULL */
	const char *ms;          /* "module:stream" when installed from a module stream, else NULL */
	bool third_party;        /* ThirdPartyRPM: only vendor events apply */
};

struct pes_input {
	const struct pes_installed *pkgs;
	size_t n_pkgs;
	int source[2], target[2];     /* releases: events with source < release <= target apply */
	const char *arch;
	/* the admin's /etc/leapp/transaction lists (names) */
	char **admin_install, **admin_remove, **admin_keep;
	size_t n_admin_install, n_admin_remove, n_admin_keep;
	/* pesids the repository maps define; an applicable event naming another is an error */
	bool (*known_pesid)(const char *pesid, void *userdata);
	void *userdata;
};

/* One thing to do, with why. event is 0 and action -1 for the admin's lists. */
struct pes_task {
	char *name;
	char *repo;          /* install: the target pesid; remove/keep: the source repo; may be NULL */
	char *ms;            /* target module stream of an install, or NULL */
	int event, action;
	char *reason;        /* "PES event 101 (split)", "admin to_install", ... */
	char *detail;        /* "ntp -> chrony, ntpstat (release 9.0)"; may be NULL */
};

struct pes_stream_map {
	char *source, *target;   /* "module:stream"; target NULL when the event demodularizes */
	int event;
};

struct pes_result {
	struct pes_task *install, *remove, *keep, *notes;
	size_t n_install, n_remove, n_keep, n_notes;
	char **modules_enable;   /* target streams the events lead to */
	size_t n_modules_enable;
	struct pes_stream_map *stream_maps;
	size_t n_stream_maps;
	char **target_pesids;    /* repositories the install and note tasks come from */
	size_t n_target_pesids;
	size_t n_relevant;       /* events for this arch and release window */
	size_t n_applied;        /* of those, events whose in-packages were installed */
	char **warnings;         /* e.g. admin to_remove of a package that is not installed */
	size_t n_warnings;
};

void pes_result_free(struct pes_result *r);

/*
 * Apply the events to the installed packages: releases in order, each release's events
 * against the state before that release (leapp's pes_events_scanner algorithm, including
 * PRESENT only for packages seen so far, MERGED when any in-package is installed, and the
 * demodularization of packages once the computation crosses into the target major). Then
 * add the admin's lists: to_keep wins over any removal. Returns 0, or -EINVAL with the
 * offending file and event in *ret_err (an applicable event naming an unknown repository).
 */
int pes_compute(const struct pes_data *d, const struct pes_input *in, struct pes_result *res, char **ret_err);

/* The tasks as JSON (PESTask model). */
json_t *pes_task_to_json(const struct pes_task *t);

/* Parse "8.10" into {8, 10}; -EINVAL on junk. */
int pes_parse_release(const char *s, int ret[2]);

/* ======== repomap ======== */

/* repomap.json (format 1.x, leapp's and vendors'): source repositories (pesids) to target ones. */

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

/* ======== modules ======== */

/* Module streams: the source's enabled streams (/etc/dnf/modules.d) and the target
 * repositories' streams (modules.yaml, read with libmodulemd), for dnf-like filtering. */

/* One [section] of /etc/dnf/modules.d/NAME.module. */
struct module_state {
	char *name, *stream, *state;   /* state: enabled, disabled or "" (reset); stream may be "" */
	char **profiles;
	size_t n_profiles;
	char *file;                    /* /etc/dnf/modules.d/NAME.module */
};

/* Read every *.module file under root/etc/dnf/modules.d (sorted by file name). A missing
 * directory is no modules. Returns 0 or -EINVAL with "FILE:LINE: problem" in *ret_err. */
int modules_read_states(const char *root, struct module_state **ret, size_t *ret_n, char **ret_err);
/* Free the n states modules_read_states() returned (NULL is fine). */
void modules_states_free(struct module_state *m, size_t n);

struct modules_index;

struct modules_index *modules_index_new(void);
void modules_index_free(struct modules_index *idx);
/* Add one repository's modules.yaml (.gz/.xz/.zst or plain). -EINVAL with the repository, the
 * file and libmodulemd's complaint in *ret_err. */
int modules_index_add_file(struct modules_index *idx, const char *path, const char *repoid, char **ret_err);
bool modules_index_has_stream(struct modules_index *idx, const char *name, const char *stream);
/* The default stream of a module (modulemd-defaults), malloc'd, or NULL. */
char *modules_index_default_stream(struct modules_index *idx, const char *name);
/* Every module name of the index, NULL-terminated, malloc'd strings. */
char **modules_index_names(struct modules_index *idx);

/* The filter for solve_set_module_filter(): active is a list of "name:stream". */
void modules_index_filter(struct modules_index *idx, char *const *active, size_t n_active,
			  struct solve_module_filter *ret);
/* Free what modules_index_filter() put in *f (not f itself). */
void modules_filter_free(struct solve_module_filter *f);

/* ======== replan ======== */

/* Solving again from a PlannedTransaction message: the same repositories, excludes,
 * install-only names, module streams and tasks, against the rpmdb as it is now. */

/*
 * For the phases after planning (the RPM upgrade on resume re-solves from the current rpmdb):
 * load root's rpmdb and plan.repos into a new context, apply plan.excludes, plan.installonly,
 * the module filter of plan.active_streams and plan.tasks, and solve. arch is IPUConfig's.
 * baseurl_for, if given, may replace a repository's baseurl (e.g. by the local copy the
 * download phase made); return NULL to keep it. On success *ret holds the items (or problems)
 * and *ret_ctx the context (for solve_installed_fingerprint() and the like; solve_free() it).
 * Returns -errno with a message naming the repository or file on failure.
 */
int replan_solve(json_t *plan, const char *root, const char *arch,
		 const char *(*baseurl_for)(const char *repoid, void *userdata), void *userdata,
		 struct solve_result *ret, struct solve_ctx **ret_ctx, char **ret_err);

/* ======== planutil ======== */

/* Helpers the planner's actors share: vendor data files, the admin's transaction lists,
 * release numbers from IPUConfig. */

/*
 * Files of /etc/leapp/files/vendors.d (under --root) and of the built-in data directory
 * ($LEAPP_DATADIR/files/vendors.d) whose name ends with suffix ("_pes.json", "_map.json"),
 * sorted by name; the /etc copy wins over a built-in one of the same name. ret_paths are
 * real paths, ret_shown the names for messages. Returns the count.
 */
size_t plan_vendor_files(const char *suffix, char ***ret_paths, char ***ret_shown);

/* Load a JSON file; NULL with "SHOWN:LINE:COLUMN: problem" (or "SHOWN: errno text") in *ret_err. */
/* The last PlannedTransaction when its status is "planned" (new reference), else NULL: no plan
 * (the planner did not run or failed) or one that could not be made. */
json_t *plan_consume_planned(void);
json_t *plan_load_json(const char *path, const char *shown, char **ret_err);

/* One admin list of /etc/leapp/transaction (to_install, to_remove, to_keep): one package
 * name per line, '#' comments, blank lines ignored. A missing file is an empty list. */
struct admin_list {
	char **names;
	int *lines;
	size_t n;
};
int plan_read_admin_list(const char *name, struct admin_list *ret, char **ret_err);
/* Free what plan_read_admin_list() put in *l (not l itself). */
void plan_admin_list_free(struct admin_list *l);

/* The source or target release of IPUConfig as {major, minor} ("virtual" versions first:
 * CentOS Stream 8 is 8.10). -EINVAL when absent or junk. */
int plan_ipu_release(json_t *ipu, bool target, int ret[2]);

json_t *plan_strv_json(char *const *v, size_t n);
/* Strings of a JSON array (NULL-terminated, malloc'd); *ret_n gets the count. */
char **plan_json_strv(json_t *a, size_t *ret_n);

/* The LEAPP_ENABLE_REPOS list (comma-separated), NULL-terminated. */
char **plan_enablerepos(size_t *ret_n);

/* ======== userspace ======== */

/* The target userspace's package set: what TargetUserSpaceTasks ask for (plus a base), resolved
 * with the solve library against the planned transaction's target repositories into an empty
 * root. Shared by check_target_userspace_tasks and target_userspace_creator. */

struct userspace_request {
	char *name;                 /* a package name or a provide */
	char *reason;               /* "requested by ACTOR: REASON" (several requesters joined with "; ") */
};

struct userspace_requests {
	struct userspace_request *v;
	size_t n;
};

/* The base packages of the target_userspace configuration section (its base_packages, else
 * system-release, bash and rpm). NULL-terminated, malloc'd. */
char **userspace_base_packages(json_t *config, size_t *ret_n);

/* Collect the requests: base (names, reason "the target userspace's base") first, then every
 * package of every TargetUserSpaceTasks message (a JSON array of their data), merged by name. */
void userspace_requests_collect(struct userspace_requests *ret, char *const *base, size_t n_base, json_t *tasks);
void userspace_requests_clear(struct userspace_requests *r);

/*
 * Resolve the requests against the repositories of plan (a PlannedTransaction: its repos,
 * excludes). Returns 0 with items or problems in *ret (a request nothing provides is a problem
 * whose packages[0] is its name); -errno with *ret_err when a repository cannot be loaded.
 */
int userspace_resolve(json_t *plan, const struct userspace_requests *req, const char *arch, struct solve_result *ret,
		      char **ret_err);

/* "/var/lib/leapp/el<N>userspace" */
char *userspace_path_in_root(int target_major);

/* The kernels of a userspace: the directories of <dir>/lib/modules (and usr/lib/modules) that
 * hold modules.dep or vmlinuz, newest first (rpm's version order). NULL-terminated. */
char **userspace_kernels(const char *dir, size_t *ret_n);

/* ======== upgradestate ======== */

/* What the phases after the reboot share about the RPM upgrade: its durable "started" mark,
 * and the comparison of the rpmdb with the one the transaction was planned against. */

/*
 * The mark, relative to the root: written (durably) by rpm_upgrade right before it changes the
 * rpmdb, holding the execution id of the upgrade. From then on the rpmdb legitimately differs
 * from the plan (a resumed RPMUpgrade sees a half-done transaction), so the checks before the
 * RPM upgrade do not compare it any more. FirstBoot's cleanup removes it.
 */
#define RPM_UPGRADE_MARK "/var/lib/leapp/rpm-upgrade.started"

/* Has the RPM upgrade of this execution started? (A mark of another execution is stale.) */
bool upgradestate_rpm_started(const char *root, const char *execution);
/* Write the mark for this execution: fsync'd file and directory. 0 or -errno. */
int upgradestate_rpm_mark(const char *root, const char *execution);

/*
 * Compare root's rpmdb with PlannedTransaction.rpmdb_fingerprint. Returns 0 when they are the
 * same, 1 when they differ, with what changed in words in *ret_details (the packages now
 * installed or gone, at most 20 named), -errno when the rpmdb cannot be read (*ret_err).
 * *ret_fingerprint gets the fingerprint now in both successful cases.
 */
int upgradestate_rpmdb_compare(json_t *plan, const char *root, char **ret_fingerprint, char **ret_details, char **ret_err);


/* ======== filelists ======== */

/* The file lists of an rpm-md repository (filelists.xml), read as a stream. */
struct filelists_pkg {
	const char *name, *arch, *epoch, *version, *release;
};

/* Called for every <file> of every package; return non-zero to stop (handed back). */
typedef int (*filelists_cb)(const struct filelists_pkg *pkg, const char *path, bool is_dir, void *userdata);

/*
 * Read the filelists of the repository whose repodata/ is in repo_dir (repomd.xml names the
 * file; gz, xz, zstd and bzip2 are read as libsolv reads them). Returns 0, what cb returned,
 * or -errno with *ret_err naming the file (-ENOENT: no filelists in repomd.xml).
 */
int filelists_read(const char *repo_dir, filelists_cb cb, void *userdata, char **ret_err);

#endif

/* Actor sandbox (DESIGN.md section 6): what the broker sets up around each actor process. */
#ifndef BROKER_SANDBOX_H
#define BROKER_SANDBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "leapp/manifest.h"

enum sandbox_profile {
	SANDBOX_SOURCE,        /* FactsCollection ... Download: system read-only */
	SANDBOX_INTERIM_PREP,  /* InterimPreparation: + target userspace, /boot if declared */
	SANDBOX_READWRITE,     /* InitRamStart ... FirstBoot */
};

#define SANDBOX_MAX_PATHS 16
#define SANDBOX_MAX_REPO_PATHS 64

/* What sandbox_prepare() works out in the parent for the child, which may not allocate.
 * Private to sandbox.c; it lives in the spec so that the caller owns the memory. */
struct sandbox_run {
	bool prepared;
	int cg_slot;                /* the actor's cgroup: a slot of the broker's pool, or -1 */
	int cg_fd[2];               /* its cgroup.procs, per hierarchy, or -1 */
	const char *cg_dir[2];      /* borrowed from the pool */
	bool cg_pids[2], cg_memory[2], cg_v2[2];
	long long cg_max0[2], cg_oom0[2]; /* its event counters before the actor started */
	volatile int *status;       /* shared with the sandbox's init: {set, wait status of the actor} */
	int hold_fd[2];             /* hold the actor's mount and ipc namespaces: see sandbox_started() */
	uint64_t caps;              /* capabilities kept (bit n = capability n) */
	const void *filter;         /* struct sock_fprog */
	long long as_limit_mb;      /* RLIMIT_AS, 0: none */
	bool ro_all;                /* remount every mount read-only, except below rw[] */
	bool rw_nodev;              /* the writable binds get nosuid,nodev */
	bool efivars_rw;
	bool host_dev;              /* the host's /dev instead of the private one (sandbox devices) */
	bool dev_ro;                /* ... read-only, and the devices cgroup lets it only read disks */
	int dev_cg_fd;              /* that devices cgroup's cgroup.procs (borrowed), or -1 */
	const char *dev_bpf_dir;    /* or its own v2 cgroup, where the device program is attached (borrowed) */
	char *ro_dirs[SANDBOX_MAX_PATHS]; /* bound read-only first, in a writable root (the log directory) */
	char *rw[SANDBOX_MAX_PATHS];    /* bound writable */
	char *ro[SANDBOX_MAX_PATHS];    /* bound read-only inside a writable one (el*userspace) */
	char *mask[SANDBOX_MAX_PATHS];  /* hidden behind an empty read-only file (the audit store) */
	char *keep_tmp[SANDBOX_MAX_PATHS], *keep_run[SANDBOX_MAX_PATHS]; /* kept visible under the fresh /tmp, /run */
	const char *repo_ro[SANDBOX_MAX_REPO_PATHS]; /* file:// repository paths below /tmp or /run, bound
						     * read-only one by one (borrowed from the broker's list) */
	size_t n_repo_ro;
	size_t n_ro_dirs, n_rw, n_ro, n_mask, n_keep_tmp, n_keep_run;
	bool fresh_tmp, fresh_run;
	char tmp_opts[64], run_opts[64];
	char *chdir_to;
};

/* Everything the child needs, prepared by the parent before fork (the child only applies
 * it: after fork it may use async-signal-safe calls alone). */
struct sandbox_spec {
	bool enabled;               /* false with --no-sandbox */
	enum sandbox_profile profile;
	const char *actor;
	const char *phase;          /* the actors of one phase share one network namespace */
	const char *root;           /* --root, "/" for the host */
	const char *statedir;       /* <root>/var/lib/leapp */
	const char *logdir;         /* <root>/var/log/leapp */
	const char *scratch;        /* the actor's scratch dir */
	const char *store_path;     /* leapp.db: never writable */
	const char *userspace;      /* unused: every <statedir>/el*userspace is the target userspace */
	const char *exec, *datadir, *bindir; /* must stay visible, even below /tmp (NULL: none) */
	bool network, mounts, boot;
	enum sandbox_devices devices; /* the host's /dev: none, ro or rw (not rw in SANDBOX_SOURCE) */
	char *const *writes;        /* extra writable paths, relative to root */
	size_t n_writes;
	long long memory_mb, cpu_seconds, open_files, pids;
	int netns_fd;               /* network namespace to join, or -1: the phase's own, without interfaces */
	bool sanitizer;             /* sanitizer build: relax address-space limit and ptrace rule */
	struct sandbox_run run;     /* filled by sandbox_prepare */
};

/* Defaults for resource limits, overridable per manifest. */
#define SANDBOX_DEFAULT_MEMORY_MB 2048
#define SANDBOX_DEFAULT_CPU_SECONDS 3600
#define SANDBOX_DEFAULT_OPEN_FILES 1024
#define SANDBOX_DEFAULT_PIDS 256

/* What a sanitizer build relaxes, for the record of the execution. */
#define SANDBOX_SANITIZER_RELAXES "address-space limit (RLIMIT_AS)", "ptrace"

/* Check once per run that the machine can sandbox (root, namespaces, seccomp, a pids cgroup);
 * 0, or -errno with a message naming what is missing. It also sets up the broker's cgroup. */
int sandbox_check_host(char **ret_err);

/* Parent side, before fork: the actor's cgroup, the phase's network namespace, the mount plan.
 * Returns 0 or -errno with *ret_err. On failure nothing is left to release. */
int sandbox_prepare(struct sandbox_spec *s, char **ret_err);

/* The clone(2) flags that give the child its namespaces (0 when the sandbox is off): the child
 * is pid 1 of its own pid namespace, so every process started in it dies with it. */
unsigned long sandbox_clone_flags(const struct sandbox_spec *s);

/* Parent side, right after the clone: the broker takes references on the child's mount and
 * ipc namespaces, so that they (dozens of mounts, an mqueue mount, RCU grace periods) are torn
 * down by a helper thread after the actor is reaped, not in the exit the broker waits for. */
void sandbox_started(struct sandbox_spec *s, pid_t pid);
/* Parent side, right after the clone: move the child into the actor's cgroups (the child
 * waits for this before it starts the actor). 0 or -errno. */
int sandbox_attach(struct sandbox_spec *s, pid_t pid);

/* Child side, first thing after clone: join the network namespace and the cgroups (this uses
 * fds the parent opened). Returns 0 or -errno, *ret_what naming the step. */
int sandbox_enter_early(const struct sandbox_spec *s, const char **ret_what);

/* Child side, with fds 0-3 in place and every other fd closed: the filesystem view, limits,
 * no_new_privs, capabilities, seccomp; then the caller execs. Returns 0 or -errno. */
int sandbox_enter(const struct sandbox_spec *s, const char **ret_what);

/* An actor that declares mounts runs in a user namespace of its own (with a mount namespace it
 * owns), identity-mapped: the mounts it inherits are locked there, so that it can mount below its
 * writable paths but cannot unmount, remount or reveal anything it was given. The sandbox's init
 * clones it with CLONE_NEWUSER | CLONE_NEWNS, writes its maps (sandbox_userns_map), then locks
 * itself down (sandbox_init_lock_down: no capabilities, no_new_privs, seccomp); the actor, once
 * mapped, locks down with the profile's capabilities (sandbox_enter_actor) and execs. No-ops
 * for the others, which sandbox_enter locked down already. 0 or -errno with *ret_what. */
int sandbox_userns_map(pid_t pid, const char **ret_what);
int sandbox_init_lock_down(const struct sandbox_spec *s, const char **ret_what);
int sandbox_enter_actor(const struct sandbox_spec *s, const char **ret_what);

/* Parent side, after reaping the child: the wait status of the actor itself. The child is the
 * sandbox's init (pid 1 of the namespace, see spawn.c); it leaves the actor's status in memory it
 * shares with the broker. Without the sandbox, or when the init itself was killed, raw is it. */
int sandbox_exit_status(const struct sandbox_spec *s, int raw);

/* Parent side, after the actor is reaped: why a limit of the sandbox stopped it (the process or
 * memory limit was hit, SIGXCPU), or NULL. The caller frees it. */
char *sandbox_explain_exit(const struct sandbox_spec *s, int wstatus);

/* Parent side, after the actor is reaped (or could not start): remove its cgroup, free the plan.
 * Idempotent; accepts a spec that was never prepared. */
void sandbox_release(struct sandbox_spec *s);

#endif

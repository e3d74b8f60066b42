/* Actor sandbox (DESIGN.md section 6): what the broker sets up around each actor process. */
#ifndef BROKER_SANDBOX_H
#define BROKER_SANDBOX_H

#include <stdbool.h>
#include <sys/types.h>

enum sandbox_profile {
	SANDBOX_SOURCE,        /* FactsCollection ... Download: system read-only */
	SANDBOX_INTERIM_PREP,  /* InterimPreparation: + target userspace, /boot if declared */
	SANDBOX_READWRITE,     /* InitRamStart ... FirstBoot */
};

/* Everything the child needs, prepared by the parent before fork (the child only applies
 * it: after fork it may use async-signal-safe calls alone). */
struct sandbox_spec {
	bool enabled;               /* false with --no-sandbox */
	enum sandbox_profile profile;
	const char *actor;
	const char *root;           /* --root, "/" for the host */
	const char *statedir;       /* <root>/var/lib/leapp */
	const char *logdir;         /* <root>/var/log/leapp */
	const char *scratch;        /* the actor's scratch dir */
	const char *store_path;     /* leapp.db: never writable */
	const char *userspace;      /* target userspace dir (writable in InterimPreparation) */
	bool network, mounts, boot;
	char *const *writes;        /* extra writable paths */
	size_t n_writes;
	long long memory_mb, cpu_seconds, open_files, pids;
	int netns_fd;               /* network namespace to join, or -1 */
	char cgroup_procs[512];     /* cgroup.procs file to join, or "" */
	bool sanitizer;             /* sanitizer build: relax address-space limit and ptrace rule */
};

/* Defaults for resource limits, overridable per manifest. */
#define SANDBOX_DEFAULT_MEMORY_MB 2048
#define SANDBOX_DEFAULT_CPU_SECONDS 3600
#define SANDBOX_DEFAULT_OPEN_FILES 1024
#define SANDBOX_DEFAULT_PIDS 256

/* Parent side, before fork: create the actor's cgroup etc. Returns 0 or -errno. */
int sandbox_prepare(struct sandbox_spec *s, char **ret_err);
/* Child side, after fork, before exec. Returns 0 or -errno (the child then exits 127 after
 * writing why to fd 2). */
int sandbox_enter(const struct sandbox_spec *s, const char **ret_what);
/* Parent side, after the actor is reaped: kill what is left in its cgroup, remove it. */
void sandbox_release(struct sandbox_spec *s);

/* Check once per run that the machine can sandbox (root, namespaces, seccomp); a clear
 * message naming what is missing otherwise. */
int sandbox_check_host(char **ret_err);

#endif

/* The target userspace's package set: what TargetUserSpaceTasks ask for (plus a base), resolved
 * with the solve library against the planned transaction's target repositories into an empty
 * root. Shared by check_target_userspace_tasks and target_userspace_creator. */
#ifndef ACTORS_USERSPACE_H
#define ACTORS_USERSPACE_H

#include <jansson.h>
#include <stddef.h>

#include "solve.h"

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
void userspace_strv_free(char **v);

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

#endif

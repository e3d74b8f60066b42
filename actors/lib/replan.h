/* Solving again from a PlannedTransaction message: the same repositories, excludes,
 * install-only names, module streams and tasks, against the rpmdb as it is now. */
#ifndef ACTORS_REPLAN_H
#define ACTORS_REPLAN_H

#include <jansson.h>

#include "solve.h"

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

#endif

/* What the phases after the reboot share about the RPM upgrade: its durable "started" mark,
 * and the comparison of the rpmdb with the one the transaction was planned against. */
#ifndef ACTORS_UPGRADESTATE_H
#define ACTORS_UPGRADESTATE_H

#include <jansson.h>
#include <stdbool.h>

/*
 * The mark, relative to the root: written (durably) by rpm_upgrade right before it changes the
 * rpmdb, holding the execution id of the upgrade. From then on the rpmdb legitimately differs
 * from the plan (a resumed RPMUpgrade sees a half-done transaction), so the checks before the
 * RPM upgrade do not compare it any more. FirstBoot's cleanup removes it.
 */
#define RPM_UPGRADE_MARK "/var/lib/leapp/rpm-upgrade.started"

/* Has the RPM upgrade of this execution started? (A mark of another execution is stale.) */
bool upgrade_rpm_started(const char *root, const char *execution);
/* Write the mark for this execution: fsync'd file and directory. 0 or -errno. */
int upgrade_rpm_mark(const char *root, const char *execution);

/*
 * Compare root's rpmdb with PlannedTransaction.rpmdb_fingerprint. Returns 0 when they are the
 * same, 1 when they differ, with what changed in words in *ret_details (the packages now
 * installed or gone, at most 20 named), -errno when the rpmdb cannot be read (*ret_err).
 * *ret_fingerprint gets the fingerprint now in both successful cases.
 */
int upgrade_rpmdb_compare(json_t *plan, const char *root, char **ret_fingerprint, char **ret_details, char **ret_err);

#endif

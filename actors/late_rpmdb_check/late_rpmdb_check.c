/* LateTests: the last check before the RPM transaction, in the upgrade initramfs. The plan (and
 * the tested transaction) is valid only for the rpmdb it was computed from; the Download phase
 * checked that, but the system ran on until the reboot. A changed rpmdb stops the upgrade here,
 * before anything is installed, saying what changed. Once the RPM upgrade of this upgrade has
 * started (its mark, upgradestate.h) the rpmdb is expected to differ: a resumed RPMUpgrade
 * solves again from it, so the check steps aside. */
#include "leapp/actor.h"
#include "plan.h"

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *plan = plan_consume_planned();
	if (!plan) {
		actor_error("no planned transaction to upgrade with",
			    "the upgrade reached the phases after the reboot without a PlannedTransaction of status planned");
	}
	if (upgradestate_rpm_started(actor_root(), actor_execution())) {
		actor_info("the RPM upgrade has started already (%s): the rpmdb is not compared with the plan any more",
			   RPM_UPGRADE_MARK);
		json_decref(plan);
		return actor_finish();
	}
	_cleanup_free_ char *fp = NULL, *details = NULL, *err = NULL;
	int r = upgradestate_rpmdb_compare(plan, actor_root(), &fp, &details, &err);
	json_decref(plan);
	if (r < 0)
		actor_error("cannot read the RPM database to check it against the plan", "%s", err);
	if (r > 0)
		actor_error("the RPM database changed since the upgrade transaction was planned",
			    "Packages were installed, removed or updated after planning (between leapp upgrade and the "
			    "reboot), so the planned and tested transaction no longer fits the system. Nothing was "
			    "upgraded. Boot the system normally and run leapp upgrade again to plan it anew. %s",
			    details);
	actor_info("the RPM database is as planned (%s)", fp);
	return actor_finish();
}

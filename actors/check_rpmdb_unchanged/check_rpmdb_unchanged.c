/* Download (before): the plan is only valid for the rpmdb it was computed from. When the
 * fingerprint of the rpmdb now differs from the one stored in PlannedTransaction (a dnf update,
 * an rpm -i after `leapp preupgrade` or between the phases), stop and say what changed. */
#include "leapp/actor.h"
#include "plan.h"

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *plan = plan_consume_planned();
	if (!plan) {
		/* nothing to protect: the Reports phase stopped an unplanned upgrade already */
		actor_warning("no planned transaction to check the rpmdb against");
		return actor_finish();
	}
	/* the rpmdb copy goes to disk, not to the sandbox's small /tmp */
	solve_set_workdir(actor_scratch_dir());
	_cleanup_free_ char *fp = NULL, *details = NULL, *err = NULL;
	int r = upgradestate_rpmdb_compare(plan, actor_root(), &fp, &details, &err);
	if (r < 0)
		actor_error("cannot read the RPM database to check it against the plan", "%s", err);
	if (r > 0)
		actor_error("the RPM database changed since the upgrade transaction was planned",
			    "Packages were installed, removed or updated after planning (e.g. dnf update ran in between), "
			    "so the planned transaction no longer fits the system. Run leapp upgrade again to plan it anew. "
			    "%s",
			    details);
	actor_info("the RPM database is as planned (%s)", fp);
	json_decref(plan);
	return actor_finish();
}

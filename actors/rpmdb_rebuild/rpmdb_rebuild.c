/* Preparation: the rpmdb in the target's format before the RPM transaction. An el8 system
 * keeps it in BerkeleyDB, which el9's librpm only reads (bdb_ro); upstream runs `rpmdb
 * --rebuilddb` with the target's rpm at this point. The rebuild is crash-safe (rpm.h):
 * a run after a kill finishes or restarts it, and the old database stays until the new one
 * is verified. */
#include "leapp/actor.h"
#include "rpm.h"

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	struct rpmrebuild_result res;
	_cleanup_free_ char *err = NULL;
	if (rpmrebuild_run(actor_root(), NULL, &res, &err) < 0)
		actor_error("cannot rebuild the RPM database in the target release's format", "%s", err);
	if (!res.rebuilt)
		actor_info("the RPM database is in the target release's format (%s) already%s", res.to,
			   res.resumed ? "; an unfinished rebuild was discarded" : "");
	else if (res.rebuild_seconds > 0)
		actor_info("rebuilt the RPM database from %s to %s: %zu packages in %.2f s (librpm's rebuild %.2f s; "
			   "verified: same count, same header digests, %.2f s; made durable and swapped in atomically, "
			   "%.2f s)%s",
			   res.from, res.to, res.packages, res.seconds, res.rebuild_seconds, res.verify_seconds,
			   res.sync_seconds,
			   res.resumed ? "; an unfinished rebuild was discarded first" : "");
	else
		actor_info("finished an interrupted rebuild of the RPM database from %s to %s (%zu packages, verified "
			   "before the interruption) in %.2f s",
			   res.from, res.to, res.packages, res.seconds);
	rpmrebuild_result_clear(&res);
	return actor_finish();
}

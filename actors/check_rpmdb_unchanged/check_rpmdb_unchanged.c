/* Download (before): the plan is only valid for the rpmdb it was computed from. When the
 * fingerprint of the rpmdb now differs from the one stored in PlannedTransaction (a dnf update,
 * an rpm -i after `leapp preupgrade` or between the phases), stop and say what changed. */
#include "leapp/actor.h"
#include "planutil.h"
#include "repofile.h"
#include "solve.h"

static bool has(char **v, size_t n, const char *s)
{
	/* both lists are sorted: binary search */
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(v[mid], s);
		if (!c)
			return true;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *plan = actor_consume_last("PlannedTransaction");
	const char *status = json_string_value(json_object_get(plan, "status"));
	if (!plan || !status || strcmp(status, "planned")) {
		/* nothing to protect: the Reports phase stopped an unplanned upgrade already */
		actor_warning("no planned transaction to check the rpmdb against");
		json_decref(plan);
		return actor_finish();
	}
	const char *planned_fp = json_string_value(json_object_get(plan, "rpmdb_fingerprint"));
	/* the rpmdb copy goes to disk, not to the sandbox's small /tmp */
	solve_set_workdir(actor_scratch_dir());
	_cleanup_free_ char *fp = NULL, *err = NULL;
	char **now = NULL;
	if (solve_rpmdb_fingerprint(actor_root(), &fp, &now, &err) < 0)
		actor_error("cannot read the RPM database to check it against the plan", "%s", err);
	if (planned_fp && !strcmp(fp, planned_fp)) {
		actor_info("the RPM database is as planned (%s)", fp);
	} else {
		size_t n_before = 0, n_now = 0;
		char **before = plan_json_strv(json_object_get(plan, "installed"), &n_before);
		while (now[n_now])
			n_now++;
		struct buf b = {0};
		size_t shown = 0, added = 0, removed = 0;
		for (size_t i = 0; i < n_now; i++)
			if (!has(before, n_before, now[i])) {
				added++;
				if (shown++ < 20)
					buf_printf(&b, "\n  now installed: %s", now[i]);
			}
		for (size_t i = 0; i < n_before; i++)
			if (!has(now, n_now, before[i])) {
				removed++;
				if (shown++ < 20)
					buf_printf(&b, "\n  no longer installed: %s", before[i]);
			}
		if (!added && !removed)
			buf_printf(&b, "\n  the same packages, but reinstalled or with changed headers");
		buf_append(&b, "", 1);
		strv_free(before, n_before);
		strv_free(now, n_now);
		actor_error("the RPM database changed since the upgrade transaction was planned",
			    "Packages were installed, removed or updated after planning (e.g. dnf update ran in between), "
			    "so the planned transaction no longer fits the system. Run leapp upgrade again to plan it anew. "
			    "Planned against %s, the rpmdb is now %s (%zu added, %zu gone):%s",
			    planned_fp ? planned_fp : "(none)", fp, added, removed, b.data);
	}
	for (size_t i = 0; now && now[i]; i++)
		free(now[i]);
	free(now);
	json_decref(plan);
	return actor_finish();
}

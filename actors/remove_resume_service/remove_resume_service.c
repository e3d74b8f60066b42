/* FirstBoot (after, the last actor of the upgrade): leapp_resume.service started this run; it
 * has done its work, so the unit and its enablement links go (the links the ResumeService
 * message names, and the ones systemctl enable could have made). systemd keeps running the
 * loaded unit until it finishes. Safe to run twice: when ResumeService says leapp installed the
 * unit and nothing of it is left, an earlier run removed it (one killed before its commit, whose
 * report entry went with it), and the entry says so rather than nothing. */
#include "leapp/actor.h"

#define UNIT_NAME "leapp_resume.service"

static bool remove_one(const char *rel)
{
	if (!rel || rel[0] != '/' || strstr(rel, "/../"))
		return false;
	_cleanup_free_ char *p = actor_path(rel);
	if (unlink(p) < 0) {
		if (errno == ENOENT)
			return false;
		actor_error("cannot remove " UNIT_NAME, "%s: %s", rel, strerror(errno));
	}
	actor_info("removed %s", rel);
	return true;
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *svc = actor_consume_last("ResumeService");
	size_t n = 0, i;
	json_t *v;
	json_array_foreach(json_object_get(svc, "links"), i, v)
		n += remove_one(json_string_value(v));
	static const char *const links[] = {"/etc/systemd/system/multi-user.target.wants/" UNIT_NAME,
					    "/etc/systemd/system/default.target.wants/" UNIT_NAME};
	for (i = 0; i < ELEMENTSOF(links); i++)
		n += remove_one(links[i]);
	n += remove_one(json_string_value(json_object_get(svc, "unit")));
	n += remove_one("/etc/systemd/system/" UNIT_NAME);
	if (n || svc) {
		json_t *e = report_new("leapp_resume.service removed",
				       n ? UNIT_NAME " resumed the upgrade on the first boot of the upgraded system; its work "
					   "is done and it was removed."
					 : UNIT_NAME " resumed the upgrade on the first boot of the upgraded system; its work "
					   "is done and it is removed already (by an earlier run of this step that was "
					   "interrupted): neither the unit nor its enablement links are left.",
				       "info");
		report_add_group(e, "upgrade process");
		actor_report(e);
		if (!n)
			actor_info(UNIT_NAME " is removed already: nothing left to remove");
	} else {
		actor_info(UNIT_NAME " is not installed: nothing to remove");
	}
	json_decref(svc);
	return actor_finish();
}

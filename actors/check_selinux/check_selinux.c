/* Checks: the upgrade sets SELinux permissive (the new policy is loaded mid-way) and
 * schedules a relabel; an enforcing system goes back to enforcing afterwards. */
#include "leapp/actor.h"

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *se = actor_consume_last("SELinuxFacts");
	const char *mode = json_string_value(json_object_get(se, "mode"));
	if (mode && !strcmp(mode, "enforcing")) {
		json_t *e = report_new(
			"SElinux will be set to permissive mode",
			"SELinux is enforcing. The upgrade sets it to permissive for the RPM transaction, because the target "
			"policy is only loaded part way through, and schedules a relabel of every filesystem on the first boot. "
			"SELinux is set back to enforcing after the relabel; the first boot takes longer.",
			"low");
		report_add_group(e, "selinux");
		report_add_group(e, "security");
		report_add_hint(e, "Nothing to do. Review the audit log for denials after the upgrade (ausearch -m avc).");
		actor_report(e);
	} else if (mode && !strcmp(mode, "permissive")) {
		json_t *e = report_new("SElinux relabeling will be scheduled",
				       "SELinux is permissive. The upgrade schedules a relabel of every filesystem on the first "
				       "boot of the upgraded system, so the labels match the new policy.",
				       "info");
		report_add_group(e, "selinux");
		actor_report(e);
	}
	json_decref(se);
	return actor_finish();
}

/* Checks: the upgrade needs the newest installed kernel to be the running one (its modules
 * and the upgrade initramfs are built for it). */
#include "leapp/actor.h"

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *k = actor_consume_last("KernelInfo");
	if (json_is_false(json_object_get(k, "booted_newest"))) {
		const char *running = json_string_value(json_object_get(k, "running"));
		const char *newest = json_string_value(json_object_get(k, "newest"));
		_cleanup_free_ char *summary = xasprintf(
			"The system runs kernel %s, but the newest installed kernel is %s. leapp builds the upgrade "
			"environment for the newest kernel and expects to be run from it.",
			running, newest);
		json_t *e = report_new("Newest installed kernel not in use", summary, "high");
		report_add_group(e, "inhibitor");
		report_add_group(e, "kernel");
		report_add_hint(e, "Make the newest kernel the default and reboot into it, then run leapp again.");
		_cleanup_free_ char *vmlinuz = xasprintf("/boot/vmlinuz-%s", newest);
		const char *cmd[] = {"grubby", "--set-default", vmlinuz, NULL};
		report_add_command(e, cmd);
		report_add_resource(e, "package", "kernel-core");
		actor_report(e);
	}
	json_decref(k);
	return actor_finish();
}

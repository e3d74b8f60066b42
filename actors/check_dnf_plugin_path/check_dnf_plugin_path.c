/* Checks: an explicit dnf pluginpath inhibits (upstream check_dnf_pluginpath): the plugins
 * move with the Python version, so the path would be wrong on the target release and in the
 * upgrade's own dnf runs. */
#include "sys.h"
#include "leapp/actor.h"

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *f = actor_consume_last("DnfPluginPathDetected");
	if (json_is_true(json_object_get(f, "is_pluginpath_detected"))) {
		_cleanup_free_ char *summary = xasprintf(
			"/etc/dnf/dnf.conf line %d sets pluginpath = %s. dnf's plugins are installed in the Python "
			"site-packages directory, which differs between major releases (another Python version), so a path "
			"set explicitly no longer points at them after the upgrade, and the upgrade cannot rely on it.",
			(int)json_integer_value(json_object_get(f, "line")),
			json_string_value(json_object_get(f, "pluginpath")) ?: "");
		json_t *e = report_new("Detected specified pluginpath in DNF configuration.", summary, "high");
		report_add_group(e, "inhibitor");
		report_add_hint(e, "Remove the pluginpath option from /etc/dnf/dnf.conf, or comment it out:");
		static const char *const cmd[] = {"sed", "-i", "s/^pluginpath[[:space:]]*=/#pluginpath=/", "/etc/dnf/dnf.conf", NULL};
		report_add_command(e, cmd);
		report_add_resource(e, "file", "/etc/dnf/dnf.conf");
		actor_report(e);
	}
	json_decref(f);
	return actor_finish();
}

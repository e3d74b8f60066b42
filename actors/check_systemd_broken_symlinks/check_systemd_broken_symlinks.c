/* Checks: broken symlinks in /etc/systemd/system (upstream check_systemd_broken_symlinks).
 * A link whose unit is enabled under its name (its file is elsewhere than the link says) can
 * be fixed by re-enabling the unit; set_systemd_services_states does that after the upgrade.
 * A link whose unit does not exist any more is only clutter: the admin removes it. */
#include <libgen.h>

#include "leapp/actor.h"
#include "sys.h"

static void list(struct buf *b, json_t *a)
{
	size_t i;
	json_t *v;
	json_array_foreach(a, i, v)
		buf_printf(b, "\n    - %s", json_string_value(v));
	buf_append(b, "", 0);
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *src = actor_consume_last("SystemdServicesInfoSource");
	json_t *services = json_object_get(src, "service_files");
	json_t *existing = json_array(), *gone = json_array();
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(src, "broken_symlinks"), i, v) {
		_cleanup_free_ char *copy = xstrdup(json_string_value(v));
		json_t *s = systemd_services_find(services, basename(copy));
		bool enabled = s && !strcmp(json_string_value(json_object_get(s, "state")) ?: "", "enabled");
		json_array_append(enabled ? existing : gone, v);
	}
	if (json_array_size(existing)) {
		struct buf b = {0};
		list(&b, existing);
		_cleanup_free_ char *summary = xasprintf(
			"These symlinks in /etc/systemd/system point at a unit file that does not exist, while the unit is "
			"installed and enabled under another path. systemd may behave unexpectedly with them. After the "
			"upgrade, leapp re-creates them to the unit's file, as re-enabling the unit would:%s",
			b.data);
		json_t *e = report_new("Detected broken systemd symlinks for existing services", summary, "medium");
		report_add_group(e, "filesystem");
		report_add_hint(e, "Fix the links before the upgrade by re-enabling the units (systemctl reenable UNIT), or "
				   "let the upgrade do it.");
		actor_report(e);
		buf_free(&b);
	}
	if (json_array_size(gone)) {
		struct buf b = {0};
		list(&b, gone);
		_cleanup_free_ char *summary = xasprintf(
			"These symlinks in /etc/systemd/system point at unit files that no longer exist (the package that "
			"shipped the unit was removed, or the unit renamed). The upgrade does not handle them:%s",
			b.data);
		json_t *e = report_new("Detected broken systemd symlinks for non-existing services", summary, "low");
		report_add_group(e, "filesystem");
		report_add_hint(e, "Remove the broken symlinks before the upgrade.");
		size_t n = json_array_size(gone);
		const char **argv2 = xcalloc(n + 2, sizeof(char *));
		argv2[0] = "/usr/bin/rm";
		json_array_foreach(gone, i, v)
			argv2[i + 1] = json_string_value(v);
		report_add_command(e, argv2);
		free(argv2);
		actor_report(e);
		buf_free(&b);
	}
	json_decref(existing);
	json_decref(gone);
	json_decref(src);
	return actor_finish();
}

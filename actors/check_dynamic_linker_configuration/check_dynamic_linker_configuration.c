/* Checks: report dynamic linker configuration that is not the distribution's (upstream
 * check_dynamic_linker_configuration): libraries from other paths or preloaded ones may be
 * missing or built for the old release during and after the upgrade. */
#include "sys.h"
#include "leapp/actor.h"

static void list(struct buf *b, const char *head, json_t *items)
{
	if (!json_array_size(items))
		return;
	buf_printf(b, "\n- %s", head);
	size_t i;
	json_t *v;
	json_array_foreach(items, i, v) {
		if (json_is_string(v))
			buf_printf(b, "\n    - %s", json_string_value(v));
		else
			buf_printf(b, "\n    - %s=%s (%s line %d)", json_string_value(json_object_get(v, "name")),
				   json_string_value(json_object_get(v, "value")), json_string_value(json_object_get(v, "file")),
				   (int)json_integer_value(json_object_get(v, "line")));
	}
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *c = actor_consume_last("DynamicLinkerConfiguration");
	struct buf b = {0};
	list(&b, "/etc/ld.so.conf has lines other than includes:", json_object_get(c, "main_config_lines"));
	list(&b, "configuration files in /etc/ld.so.conf.d that no package installed, or that were changed:",
	     json_object_get(c, "custom_configs"));
	list(&b, "libraries preloaded into every program by /etc/ld.so.preload:", json_object_get(c, "preload"));
	list(&b, "variables set system-wide:", json_object_get(c, "used_variables"));
	if (b.len) {
		buf_append(&b, "", 0);
		_cleanup_free_ char *summary = xasprintf(
			"The dynamic linker is configured to look for libraries outside the distribution's setup. Those "
			"libraries may be built for the old release, or be missing while the upgrade runs, so programs "
			"(including the upgrade's own tools and services after the reboot) could load the wrong ones or fail "
			"to start. Found:%s",
			b.data);
		json_t *e = report_new("Detected customized configuration for dynamic linker.", summary, "high");
		report_add_group(e, "OS facts");
		report_add_hint(e, "Remove or revert the custom dynamic linker configuration and run ldconfig; disable "
				   "software collections that are enabled persistently.");
		report_add_resource(e, "file", "/etc/ld.so.conf");
		report_add_resource(e, "directory", "/etc/ld.so.conf.d");
		actor_report(e);
	}
	buf_free(&b);
	json_decref(c);
	return actor_finish();
}

/* Fact file reading and the "unknown fact" warning every fact actor gives the same way. */
#include "sys.h"

#include "leapp/actor.h"
#include "leapp/util.h"

void fact_report_unknown(const char *abs_path, const char *what, int err)
{
	_cleanup_free_ char *title = xasprintf("Unknown system fact: %s", abs_path);
	_cleanup_free_ char *summary =
		xasprintf("%s could not be read (%s), so %s is unknown. The checks that need it were skipped, and "
			  "the upgrade may fail where they would have warned.",
			  abs_path, err == -ENOENT ? "it does not exist" : strerror(-err), what);
	json_t *e = report_new(title, summary, "low");
	report_add_group(e, "sanity");
	_cleanup_free_ char *hint = xasprintf(
		"On a running system the kernel provides %s; make sure /proc is mounted. With --root, put the file "
		"under the root directory.",
		abs_path);
	report_add_hint(e, hint);
	actor_report(e);
}

json_t *ipu_config_get(void)
{
	json_t *m = actor_consume_last("IPUConfig");
	if (m)
		return m;
	json_t *w = actor_workflow_config();
	if (json_is_object(w) && json_object_get(w, "source_distro"))
		return json_incref(w);
	return NULL;
}

int ipu_source_major(json_t *ipu)
{
	json_t *v = json_object_get(ipu, "source_major");
	return json_is_integer(v) ? (int)json_integer_value(v) : -1;
}

int ipu_target_major(json_t *ipu)
{
	json_t *v = json_object_get(ipu, "target_major");
	return json_is_integer(v) ? (int)json_integer_value(v) : -1;
}

const char *ipu_str(json_t *ipu, const char *field)
{
	return json_string_value(json_object_get(ipu, field));
}

bool fact_installed_rpm_has(json_t *installed_rpm, const char *name)
{
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(installed_rpm, "items"), i, p)
		if (!strcmp(json_string_value(json_object_get(p, "name")) ?: "", name))
			return true;
	return false;
}

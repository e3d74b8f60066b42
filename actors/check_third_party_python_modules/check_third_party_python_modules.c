/* Checks: Python modules that no package installed. Those of the source's python3 (3.6) stay
 * on disk but release 9's /usr/bin/python3 (3.9) does not read their directories: scripts that
 * import them break after the upgrade. Those already installed for the target's python3 may
 * shadow the distribution's modules during and after the upgrade (upstream
 * check_third_party_target_python_modules, a warning). */
#include "sys.h"
#include "leapp/actor.h"

#define MAX_LISTED 30

static void list(struct buf *b, json_t *a)
{
	size_t i, n = json_array_size(a);
	json_t *v;
	json_array_foreach(a, i, v) {
		if (i == MAX_LISTED) {
			buf_printf(b, "\n    - ... and %zu more", n - MAX_LISTED);
			break;
		}
		buf_printf(b, "\n    - %s", json_string_value(v));
	}
	buf_append(b, "", 0);
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *m = actor_consume_last("ThirdPartyPythonModules");
	json_t *src = json_object_get(m, "source_modules"), *tgt = json_object_get(m, "target_modules");
	const char *sp = json_string_value(json_object_get(m, "source_python")) ?: "the old python3";
	const char *tp = json_string_value(json_object_get(m, "target_python")) ?: "the new python3";
	if (json_array_size(src)) {
		struct buf b = {0};
		list(&b, src);
		_cleanup_free_ char *summary = xasprintf(
			"These Python modules were installed for %s outside of any package (pip, setup.py or copied files). "
			"After the upgrade /usr/bin/python3 is %s, which does not read %s's directories: programs that "
			"import them fail until they are installed again for %s:%s",
			sp, tp, sp, tp, b.data);
		json_t *e = report_new("Python modules installed for the old python3 will not be used after the upgrade",
				       summary, "medium");
		report_add_group(e, "python");
		_cleanup_free_ char *hint = xasprintf(
			"Note the modules your programs need (python3 -m pip freeze) and install them for %s after the "
			"upgrade (python3 -m pip install), preferably from the distribution's packages.", tp);
		report_add_hint(e, hint);
		actor_report(e);
		buf_free(&b);
	}
	if (json_array_size(tgt)) {
		struct buf b = {0};
		list(&b, tgt);
		_cleanup_free_ char *summary = xasprintf(
			"Third-party target Python modules may interfere with the upgrade process or cause unexpected "
			"behavior after the upgrade: these entries of %s's site-packages directories belong to no "
			"package:%s",
			tp, b.data);
		json_t *e = report_new("Detected third-party Python modules for the target Python version", summary, "high");
		_cleanup_free_ char *hint = xasprintf("Remove the third-party %s modules before the upgrade, or make sure "
						      "they do not shadow the distribution's modules.", tp);
		report_add_hint(e, hint);
		actor_report(e);
		buf_free(&b);
	}
	json_decref(m);
	return actor_finish();
}

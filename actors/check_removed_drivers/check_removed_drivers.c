/* Checks: loaded drivers against device_driver_deprecation_data.json. A driver that no
 * entry lists as available in the target release is removed there. */
#include "sys.h"
#include "leapp/actor.h"

static bool int_list_has(json_t *a, int v)
{
	size_t i;
	json_t *x;
	json_array_foreach(a, i, x)
		if (json_is_integer(x) && json_integer_value(x) == v)
			return true;
	return false;
}

/* module names use '_' where the data may use '-' (and the other way round) */
static bool same_driver(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (*a != *b && !((*a == '-' || *a == '_') && (*b == '-' || *b == '_')))
			return false;
	return !*a && !*b;
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *mods = actor_consume_last("LoadedKernelModules");
	json_t *ipu = ipu_config_get();
	int target = ipu_target_major(ipu);
	if (!mods || !json_is_true(json_object_get(mods, "known")) || target < 0) {
		json_decref(mods);
		json_decref(ipu);
		return actor_finish();
	}
	json_t *data = NULL;
	_cleanup_free_ char *err = NULL;
	int r = datafile_load_json("device_driver_deprecation_data.json", &data, &err);
	if (r < 0) {
		datafile_report_problem("device_driver_deprecation_data.json", r, err);
		json_decref(mods);
		json_decref(ipu);
		return actor_finish();
	}
	struct buf removed = {0}, unmaintained = {0};
	json_t *removed_names = json_array(), *unmaintained_names = json_array();
	size_t i;
	json_t *m;
	json_array_foreach(json_object_get(mods, "modules"), i, m) {
		const char *name = json_string_value(json_object_get(m, "name"));
		bool listed = false, available = false, maintained = false;
		const char *device = NULL;
		size_t k;
		json_t *d;
		json_array_foreach(json_object_get(data, "data"), k, d) {
			const char *drv = json_string_value(json_object_get(d, "driver_name"));
			if (!drv || !*drv || !same_driver(drv, name))
				continue;
			listed = true;
			available |= int_list_has(json_object_get(d, "available_in_rhel"), target);
			maintained |= int_list_has(json_object_get(d, "maintained_in_rhel"), target);
			if (!device)
				device = json_string_value(json_object_get(d, "device_name"));
		}
		if (!listed)
			continue;
		if (!available) {
			buf_printf(&removed, "\n    - %s%s%s%s", name, device && *device ? " (" : "", device && *device ? device : "",
				   device && *device ? ")" : "");
			json_array_append_new(removed_names, json_string(name));
		} else if (!maintained) {
			buf_printf(&unmaintained, "\n    - %s", name);
			json_array_append_new(unmaintained_names, json_string(name));
		}
	}
	if (removed.len) {
		buf_append(&removed, "", 0);
		_cleanup_free_ char *summary = xasprintf(
			"These loaded drivers are not available in release %d; the hardware that needs them would stop working "
			"after the upgrade:%s",
			target, removed.data);
		json_t *e = report_new("Leapp detected loaded kernel drivers that have been removed in the target OS. Upgrade cannot proceed.",
				       summary, "high");
		report_set_key(e, "f08a07da902958defa4f5c2699fae9ec2eb67c5b"); /* upstream checkdetecteddevicesanddrivers' */
		report_add_group(e, "inhibitor");
		report_add_group(e, "drivers");
		report_add_hint(e, "Replace the hardware, or stop using it and unload the drivers (modprobe -r) before the "
				   "upgrade.");
		size_t q;
		json_t *n;
		json_array_foreach(removed_names, q, n)
			report_add_resource(e, "kernel-driver", json_string_value(n));
		actor_report(e);
	}
	if (unmaintained.len) {
		buf_append(&unmaintained, "", 0);
		_cleanup_free_ char *summary = xasprintf(
			"These loaded drivers are still shipped in release %d but no longer maintained (deprecated):%s",
			target, unmaintained.data);
		json_t *e = report_new("Leapp detected loaded kernel drivers no longer maintained in the target OS", summary, "high");
		report_set_key(e, "0ff2413fd3cb0358736bf9be597f4dbdf58f2c4d"); /* upstream checkdetecteddevicesanddrivers' */
		report_add_group(e, "drivers");
		report_add_hint(e, "Plan to replace the hardware that needs these drivers.");
		actor_report(e);
	}
	buf_free(&removed);
	buf_free(&unmaintained);
	json_decref(removed_names);
	json_decref(unmaintained_names);
	json_decref(data);
	json_decref(mods);
	json_decref(ipu);
	return actor_finish();
}

/* Checks: the drivers in use and the PCI devices present against
 * device_driver_deprecation_data.json (upstream checkdetecteddevicesanddrivers, with
 * pcidevicesscanner's matching). A driver entry (no device id) applies to a loaded module or
 * to the driver bound to a device; a device entry to a PCI device by
 * vendor:device:subsystem_vendor:subsystem_device, or vendor:device. Not available in the
 * target release: inhibitor; available but not maintained: a high warning. */
#include <string.h>

#include "sys.h"
#include "leapp/actor.h"
#include "leapp/util.h"

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

/* "0x1011:0x0046:0x103C:0x10c2" -> "1011:0046:103c:10c2" */
static char *norm_id(const char *id)
{
	struct buf b = {0};
	for (const char *p = id; *p;) {
		if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
			p += 2;
		char c = *p++;
		c = (char)(c >= 'A' && c <= 'F' ? c - 'A' + 'a' : c);
		buf_append(&b, &c, 1);
	}
	buf_append(&b, "", 1);
	return buf_steal(&b);
}

struct finding {
	struct buf text;
	json_t *names;
};

static void finding_add(struct finding *f, const char *name, const char *what)
{
	if (!f->names)
		f->names = json_array();
	size_t i;
	json_t *v;
	json_array_foreach(f->names, i, v)
		if (!strcmp(json_string_value(v), name))
			return;
	json_array_append_new(f->names, json_string(name));
	buf_printf(&f->text, "\n     - %s%s%s%s", name, what && *what ? " (" : "", what && *what ? what : "",
		   what && *what ? ")" : "");
}

/* one data entry against the drivers in use (driver entries) or the devices (device entries) */
static void match_entry(json_t *d, int target, json_t *drivers, json_t *pci, struct finding f[4])
{
	const char *type = json_string_value(json_object_get(d, "device_type")) ?: "";
	const char *drv = json_string_value(json_object_get(d, "driver_name")) ?: "";
	const char *id = json_string_value(json_object_get(d, "device_id")) ?: "";
	const char *dname = json_string_value(json_object_get(d, "device_name")) ?: "";
	bool available = int_list_has(json_object_get(d, "available_in_rhel"), target);
	bool maintained = int_list_has(json_object_get(d, "maintained_in_rhel"), target);
	if (strcmp(type, "pci") || (available && maintained))
		return;
	size_t i;
	json_t *x;
	if (!*id && *drv) {
		json_array_foreach(drivers, i, x)
			if (same_driver(drv, json_string_value(x)))
				finding_add(&f[available ? 1 : 0], json_string_value(x), dname);
		return;
	}
	if (!*id)
		return;
	_cleanup_free_ char *want = norm_id(id);
	json_array_foreach(json_object_get(pci, "devices"), i, x) {
		const char *have = json_string_value(json_object_get(x, "pci_id")) ?: "";
		/* the entry gives vendor:device[:subsystem_vendor:subsystem_device] */
		if (strcmp(have, want) && !(str_startswith(have, want) && have[strlen(want)] == ':' && strlen(want) == 9))
			continue;
		_cleanup_free_ char *what = xasprintf("%s, at %s", id, json_string_value(json_object_get(x, "slot")));
		finding_add(&f[available ? 3 : 2], *dname ? dname : id, what);
	}
}

static void report(struct finding *f, const char *title, const char *key, const char *lead, bool inhibitor,
		   bool drivers, const char *hint, int target)
{
	if (!f->names)
		return;
	buf_append(&f->text, "", 1);
	_cleanup_free_ char *summary = xasprintf("%s %d:%s", lead, target, f->text.data);
	json_t *e = report_new(title, summary, "high");
	report_set_key(e, key);
	report_add_group(e, "kernel");
	if (drivers)
		report_add_group(e, "drivers");
	if (inhibitor)
		report_add_group(e, "inhibitor");
	report_add_hint(e, hint);
	size_t i;
	json_t *n;
	json_array_foreach(f->names, i, n)
		report_add_resource(e, drivers ? "kernel-driver" : "device", json_string_value(n));
	actor_report(e);
}

/* the loaded modules and the drivers bound to PCI devices, once each */
static json_t *drivers_in_use(json_t *mods, json_t *pci)
{
	json_t *a = json_array();
	size_t i;
	json_t *m;
	if (json_is_true(json_object_get(mods, "known")))
		json_array_foreach(json_object_get(mods, "modules"), i, m)
			json_array_append(a, json_object_get(m, "name"));
	json_array_foreach(json_object_get(pci, "devices"), i, m) {
		const char *drv = json_string_value(json_object_get(m, "driver"));
		bool dup = !drv;
		size_t k;
		json_t *x;
		json_array_foreach(a, k, x)
			dup = dup || same_driver(drv, json_string_value(x));
		if (!dup)
			json_array_append_new(a, json_string(drv));
	}
	return a;
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *mods = actor_consume_last("LoadedKernelModules");
	json_t *pci = actor_consume_last("PCIDevices");
	json_t *ipu = ipu_config_get();
	int target = ipu_target_major(ipu);
	json_t *data = NULL;
	_cleanup_free_ char *err = NULL;
	int r = target < 0 ? 0 : datafile_load_json("device_driver_deprecation_data.json", &data, &err);
	if (r < 0)
		datafile_report_problem("device_driver_deprecation_data.json", r, err);
	json_t *drivers = drivers_in_use(mods, pci);
	struct finding f[4] = {0}; /* removed drivers, unmaintained drivers, removed devices, unmaintained devices */
	size_t i;
	json_t *d;
	json_array_foreach(json_object_get(data, "data"), i, d)
		match_entry(d, target, drivers, pci, f);
	report(&f[0], "Leapp detected loaded kernel drivers that have been removed in the target OS. Upgrade cannot proceed.",
	       "f08a07da902958defa4f5c2699fae9ec2eb67c5b",
	       "These drivers are loaded or drive a device present, and they are not available in release", true, true,
	       "Replace the hardware that needs them, or stop using it and unload the drivers (modprobe -r; remove "
	       "them from the initramfs too) before the upgrade.",
	       target);
	report(&f[1], "Leapp detected loaded kernel drivers no longer maintained in the target OS",
	       "0ff2413fd3cb0358736bf9be597f4dbdf58f2c4d",
	       "These drivers in use are still shipped but no longer maintained (deprecated) in release", false, true,
	       "Plan to replace the hardware that needs these drivers.", target);
	report(&f[2], "Leapp detected devices no longer supported by the target OS. Upgrade cannot proceed.",
	       "ccfc28592c82123649fc824c6c1c89cabfceae7c", "These devices present are not supported in release", true,
	       false, "Remove or replace these devices before the upgrade.", target);
	report(&f[3], "Leapp detected devices no longer maintained in the target OS", "261e3e55a3a80346f2fcc2a1e59c64f7a4caa263",
	       "These devices present are still supported but no longer maintained (deprecated) in release", false, false,
	       "Plan to replace these devices.", target);
	for (size_t k = 0; k < 4; k++) {
		buf_free(&f[k].text);
		json_decref(f[k].names);
	}
	json_decref(drivers);
	json_decref(data);
	json_decref(mods);
	json_decref(pci);
	json_decref(ipu);
	return actor_finish();
}

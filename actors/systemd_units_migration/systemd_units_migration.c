/* TargetTransactionCheck: a service the source had enabled may be shipped under another name by
 * the target release, by the package that replaces the old one (PES splits and renames: ntp's
 * ntpd.service is chrony's chronyd.service in 9). When the plan installs the new package, the
 * new unit is enabled in Finalization and the old one's enablement links go
 * (SystemdServicesTasks); the report says so before the upgrade. The renames are the ones the
 * distributions document for the releases this upgrades. */
#include "leapp/actor.h"

struct rename {
	const char *old_unit, *old_package;
	const char *new_unit, *new_package;
	const char *why;
};

static const struct rename renames[] = {
	{"ntpd.service", "ntp", "chronyd.service", "chrony", "ntp is replaced by chrony"},
	{"ntpdate.service", "ntpdate", "chronyd.service", "chrony", "ntpdate is replaced by chrony"},
	{"network.service", "network-scripts", "NetworkManager.service", "NetworkManager",
	 "the legacy network-scripts are replaced by NetworkManager"},
};

static bool enabled(json_t *units, const char *unit)
{
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(units, "enabled"), i, v)
		if (json_is_string(v) && !strcmp(json_string_value(v), unit))
			return true;
	return false;
}

/* Does the plan install or upgrade a package of this name? */
static bool planned(json_t *plan, const char *name)
{
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(plan, "items"), i, it) {
		const char *a = json_string_value(json_object_get(it, "action")) ?: "";
		const char *n = json_string_value(json_object_get(it, "name")) ?: "";
		if (!strcmp(n, name) && (!strcmp(a, "install") || !strcmp(a, "upgrade") || !strcmp(a, "downgrade")))
			return true;
	}
	return false;
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *units = actor_consume_last("SystemdUnits");
	json_t *plan = actor_consume_last("PlannedTransaction");
	struct buf b = {0};
	size_t n = 0;
	for (size_t i = 0; i < ELEMENTSOF(renames); i++) {
		const struct rename *r = &renames[i];
		if (!enabled(units, r->old_unit) || !planned(plan, r->new_package))
			continue;
		actor_produce("SystemdServicesTasks", json_pack("{s:[s], s:[s], s:s}", "to_enable", r->new_unit, "to_disable",
								 r->old_unit, "reason", r->why));
		buf_printf(&b, "\n    - %s (%s) -> %s (%s): %s", r->old_unit, r->old_package, r->new_unit, r->new_package,
			   r->why);
		n++;
	}
	if (n) {
		buf_append(&b, "", 1);
		_cleanup_free_ char *summary = xasprintf(
			"These services are enabled on this system, and the target release ships them under a new name, in "
			"the package that replaces the old one. The upgrade enables the new service and removes the old "
			"one's enablement:%s",
			b.data);
		json_t *e = report_new("Enabled services are renamed by the upgrade", summary, "info");
		report_add_group(e, "services");
		report_add_hint(e, "Check the new service's configuration after the upgrade (for chrony: /etc/chrony.conf).");
		actor_report(e);
	}
	buf_free(&b);
	json_decref(units);
	json_decref(plan);
	return actor_finish();
}

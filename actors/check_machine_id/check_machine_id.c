/* Checks: /etc/machine-id must hold 32 lowercase hexadecimal characters, not all zeros
 * (upstream's checkmachineid): the BLS entries and the upgrade entry are named after it. */
#include "sys.h"
#include "leapp/actor.h"

static bool machine_id_valid(json_t *id)
{
	const char *s = json_string_value(id);
	if (!s || json_string_length(id) != 32)
		return false;
	bool zeros = true;
	for (size_t i = 0; i < 32; i++) {
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
		zeros &= s[i] == '0';
	}
	return !zeros;
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *info = actor_consume_last("MachineIdInfo");
	if (!info) {
		actor_warning("no MachineIdInfo message: /etc/machine-id was not checked");
		return actor_finish();
	}
	json_t *id = json_object_get(info, "machine_id");
	if (!machine_id_valid(id)) {
		const char *s = json_string_value(id);
		_cleanup_free_ char *what = !s ? xstrdup("does not exist or cannot be read")
				  : !*s		  ? xstrdup("is empty")
						  : xasprintf("holds \"%.64s\"", s);
		_cleanup_free_ char *summary = xasprintf(
			"/etc/machine-id %s. A machine ID is 32 lowercase hexadecimal characters, not all zeros; the "
			"boot entries, the journal and other components are named after it, and the upgrade cannot go on "
			"without a valid one.",
			what);
		json_t *e = report_new("Missing or invalid /etc/machine-id file", summary, "high");
		report_add_group(e, "sanity");
		report_add_group(e, "inhibitor");
		report_add_hint(e, "Write a new machine ID with `systemd-machine-id-setup` (see machine-id(5)); remove "
				   "an empty or invalid /etc/machine-id first.");
		report_add_external(e, "https://access.redhat.com/solutions/3600401", "How to reconfigure the machine-id?");
		report_add_resource(e, "file", "/etc/machine-id");
		actor_report(e);
	}
	json_decref(info);
	return actor_finish();
}

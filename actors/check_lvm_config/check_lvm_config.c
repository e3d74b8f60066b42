/* Checks: LVM's device selection across the upgrade (upstream's checklvm, its report). Release 9's
 * LVM selects devices with the devices file (/etc/lvm/devices/system.devices) by default; a system
 * that does not use one keeps its lvm.conf, so LVM keeps selecting with the filter (or with no
 * restriction) after the upgrade. Said as information, with vgimportdevices as the way over.
 * An lvm.conf that does not parse is named with its line: LVM itself would refuse it, in the
 * upgrade initramfs too. (The lvm dracut module and the configuration going into the upgrade
 * initramfs are storage_initramfs_setup's work.) */
#include "sys.h"
#include "leapp/actor.h"

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *c = actor_consume_last("LVMConfig");
	if (!c) {
		actor_debug("no LVMConfig (lvm2 not installed or no lvm.conf): nothing to check");
		return actor_finish();
	}
	const char *err = json_string_value(json_object_get(c, "error"));
	if (err) {
		_cleanup_free_ char *summary = xasprintf(
			"The LVM configuration cannot be read: %s. LVM commands, those of the upgrade initramfs included, "
			"refuse a configuration they cannot parse, so the logical volumes the upgrade needs might not be "
			"activated.",
			err);
		json_t *r = report_new("The LVM configuration cannot be read", summary, "high");
		report_add_group(r, "filesystem");
		report_add_hint(r, "Fix /etc/lvm/lvm.conf at the line named (lvmconfig --validate checks it).");
		report_add_resource(r, "file", "/etc/lvm/lvm.conf");
		actor_report(r);
	} else if (!json_is_true(json_object_get(c, "use_devicesfile")) ||
		   !json_is_true(json_object_get(c, "devicesfile_exists"))) {
		size_t nf = json_array_size(json_object_get(c, "filter")) + json_array_size(json_object_get(c, "global_filter"));
		_cleanup_free_ char *summary = xasprintf(
			"Beginning with release 9, LVM selects the devices it uses with the devices file "
			"(/etc/lvm/devices/%s) by default. This system does not use one (%s), so the upgrade leaves "
			"/etc/lvm/lvm.conf as it is and LVM keeps selecting devices %s after the upgrade.",
			json_string_value(json_object_get(c, "devicesfile")) ?: "system.devices",
			!json_is_true(json_object_get(c, "use_devicesfile")) ? "use_devicesfile is 0" : "the file does not exist",
			nf ? "with the filter of lvm.conf" : "without restriction (lvm.conf sets no filter)");
		json_t *r = report_new("LVM filter definition detected.", summary, "info");
		report_add_hint(r, "Switching to the devices file is not required. To switch, set use_devicesfile=1 in "
				   "/etc/lvm/lvm.conf, then create the devices file from the volume groups in use "
				   "(vgimportdevices -a), which the filter then no longer decides.");
		static const char *const cmd[] = {"vgimportdevices", NULL};
		report_add_command(r, cmd);
		report_add_external(r, "https://red.ht/limiting-lvm-devices-visibility-and-usage",
				    "Limiting LVM device visibility and usage");
		actor_report(r);
	} else
		actor_info("LVM uses the devices file /etc/lvm/devices/%s", json_string_value(json_object_get(c, "devicesfile")));
	json_decref(c);
	return actor_finish();
}

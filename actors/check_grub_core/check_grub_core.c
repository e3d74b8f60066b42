/* Checks: on BIOS, GRUB's core image (between the MBR and the first partition) is not updated
 * by the RPM transaction; update_grub_core reinstalls it in Finalization on the disks GrubInfo
 * names (upstream's checkgrubcore). No GrubInfo: the devices could not be scanned (warned). */
#include "sys.h"
#include "leapp/actor.h"

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *ff = actor_consume_last("FirmwareFacts");
	json_t *gi = actor_consume_last("GrubInfo");
	const char *fw = json_string_value(json_object_get(ff, "firmware"));
	if (fw && !strcmp(fw, "bios") && gi) {
		json_t *devs = json_object_get(gi, "orig_devices"), *d;
		json_t *e;
		size_t i;
		if (json_array_size(devs)) {
			_cleanup_free_ char *list = xstrdup("");
			json_array_foreach(devs, i, d) {
				char *n = xasprintf("%s%s%s", list, i ? ", " : "", json_string_value(d));
				free(list);
				list = n;
			}
			_cleanup_free_ char *summary = xasprintf(
				"The system boots with BIOS. GRUB's core image, in the gap after the MBR of %s, is not "
				"updated by the package upgrade; leapp runs grub2-install on each of these disks after the "
				"upgrade. Nothing needs to be done before it; check the GRUB configuration afterwards.",
				list);
			e = report_new("GRUB2 core will be automatically updated during the upgrade", summary, "high");
			report_add_group(e, "boot");
			json_array_foreach(devs, i, d)
				report_add_resource(e, "device", json_string_value(d));
			report_add_hint(e, "No action is needed.");
		} else {
			e = report_new("Leapp could not identify where GRUB2 core is located",
				       "The system boots with BIOS, but none of the disks that hold /boot has GRUB in its "
				       "first sector, so GRUB's core image will not be updated by the upgrade and the "
				       "system will probably boot the old GRUB afterwards.",
				       "high");
			report_add_group(e, "boot");
			report_add_hint(e, "After the upgrade, run \"grub2-install <the disk GRUB boots from>\".");
		}
		actor_report(e);
	}
	json_decref(ff);
	json_decref(gi);
	return actor_finish();
}

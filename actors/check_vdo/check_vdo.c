/* Checks: release 9 manages VDO only through LVM, so a VDO volume of the old vdo manager, or
 * one whose conversion stopped half-way, would be unreadable after the upgrade (upstream's
 * checkvdo, with its titles, its question and its rule: an unconverted volume inhibits whatever
 * the answer; the answer only waives devices that could not be checked). */
#include "sys.h"
#include "leapp/actor.h"

#define VDO_DOC_URL "https://red.ht/import-existing-vdo-volumes-to-lvm"

static char *names(json_t *list, bool (*want)(json_t *))
{
	char *s = xstrdup("");
	size_t i;
	json_t *d;
	json_array_foreach(list, i, d) {
		if (want && !want(d))
			continue;
		char *n = xasprintf("%s%s%s", s, *s ? ", " : "", json_string_value(json_object_get(d, "name")));
		free(s);
		s = n;
	}
	return s;
}

static bool incomplete(json_t *d)
{
	return !json_is_true(json_object_get(d, "complete"));
}

static void vdo_report(const char *title, const char *summary, const char *hint, bool inhibitor)
{
	json_t *e = report_new(title, summary, inhibitor ? "high" : "info");
	report_add_group(e, "services");
	report_add_group(e, "drivers");
	if (inhibitor) {
		report_add_group(e, "inhibitor");
		report_add_hint(e, hint);
		report_add_external(e, VDO_DOC_URL, "Importing existing VDO volumes to LVM");
	}
	actor_report(e);
}

/* The question upstream asks when devices could not be checked. Returns the answer (true,
 * false) or NULL when unanswered (then the broker inhibits with the leapp answer command). */
static json_t *ask(void)
{
	json_t *dialog = json_pack(
		"{s:s, s:s, s:s, s:[{s:s, s:s, s:s, s:s, s:s}]}", "scope", "check_vdo", "title", "VDO devices",
		"reason", "Confirmation", "components", "key", "confirm", "type", "bool", "label",
		"Are all VDO devices, if any, successfully converted to LVM management?", "description",
		"Enter True if no VDO devices are present on the system or all VDO devices on the system have been "
		"successfully converted to LVM management. Entering True skips the devices that could not be checked; "
		"VDO devices found unconverted still block the upgrade.",
		"reason",
		"Every block device that could be a VDO volume is checked, and the data on a VDO volume not converted "
		"to LVM management is inaccessible after the upgrade. Some devices could not be read.");
	json_t *ans = actor_dialog(dialog);
	json_t *v = json_incref(json_object_get(ans, "confirm"));
	json_decref(ans);
	return v;
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *info = actor_consume_last("VdoConversionInfo");
	_cleanup_free_ char *pre = names(json_object_get(info, "pre_conversion"), NULL);
	_cleanup_free_ char *post = names(json_object_get(info, "post_conversion"), incomplete);
	_cleanup_free_ char *failed = names(json_object_get(info, "undetermined_conversion"), NULL);
	if (*pre) {
		_cleanup_free_ char *s = xasprintf(
			"VDO device(s) %s are managed by the vdo manager, which release 9 no longer has: after the upgrade "
			"VDO volumes are only managed through LVM, and the data of a volume not converted would be "
			"inaccessible.",
			pre);
		vdo_report("Detected VDO devices not managed by LVM", s,
			   "Convert each VDO volume to LVM management before the upgrade (lvm_import_vdo DEVICE), following "
			   "the VDO to LVM conversion documentation.",
			   true);
	}
	if (*post) {
		_cleanup_free_ char *s = xasprintf(
			"VDO device(s) %s were converted at the format level, but the LVM part of the conversion did not "
			"happen (no LVM physical volume label): the conversion was interrupted, e.g. by a crash. It must be "
			"finished before the upgrade.",
			post);
		vdo_report("Detected VDO devices that have not finished the conversion to LVM management.", s,
			   "Finish the conversion as the VDO to LVM conversion documentation describes.", true);
	}
	if (*failed) {
		json_t *answer = ask();
		if (json_is_true(answer))
			vdo_report("Skipping the VDO check of block devices",
				   "You confirmed that every VDO device, if any, is converted to LVM management: the devices "
				   "that could not be checked are not.",
				   NULL, false);
		else {
			_cleanup_free_ char *s = xasprintf("These devices could not be checked for VDO: %s.", failed);
			vdo_report("Checking VDO conversion to LVM management of block devices failed", s,
				   "Resolve what made the check fail (see the log) and run leapp again, or answer True to "
				   "check_vdo.confirm if every VDO device is converted.",
				   true);
		}
		json_decref(answer);
	}
	json_decref(info);
	return actor_finish();
}

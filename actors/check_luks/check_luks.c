/* Checks: the upgrade boots unattended, so every encrypted device unlocked at boot must open
 * without a passphrase: LUKS2 with a clevis TPM2 token (upstream's checkluks). LUKS1 devices and
 * LUKS2 devices without such a token inhibit. When every device qualifies, the upgrade initramfs
 * gets clevis (its dracut modules, the packages in the target userspace) and the upgrade entry
 * loses rd.luks.uuid=, which would limit unlocking to the devices it names. The target entry
 * keeps it: target_kernel_boot_entry takes the source default entry's arguments.
 * Upstream looks at every LUKS device (lsblk) and so has to exempt Ceph's encrypted OSD volumes
 * (cephvolumescan); luks_scanner lists only the devices the boot unlocks (crypttab without
 * noauto, rd.luks.uuid=), and ceph-volume opens its OSDs itself, so they are never among them. */
#include "sys.h"
#include "leapp/actor.h"

static bool has_tpm2_token(json_t *dump)
{
	size_t i;
	json_t *t;
	json_array_foreach(json_object_get(dump, "tokens"), i, t)
		if (!strcmp(json_string_value(json_object_get(t, "type")) ?: "", "clevis-tpm2"))
			return true;
	return false;
}

static const char *dump_name(json_t *d)
{
	return json_string_value(json_object_get(d, "device")) ?: json_string_value(json_object_get(d, "source")) ?: "?";
}

static void inhibit(json_t *ipu, const char *luks1, const char *no_tpm2, const char *unread)
{
	int src = ipu_source_major(ipu) > 0 ? ipu_source_major(ipu) : 8;
	_cleanup_free_ char *summary = xasprintf(
		"The upgrade runs unattended after the reboot, so it can only unlock encrypted devices by itself: "
		"LUKS2 devices bound to the TPM 2.0 with a clevis token. These devices, unlocked at boot, are not (or "
		"could not be checked):%s%s%s%s%s%s",
		*luks1 ? "\n\nLUKS1 (only LUKS2 holds tokens; convert them with cryptsetup convert --type luks2):" : "",
		luks1, *no_tpm2 ? "\n\nLUKS2 without a clevis TPM2 token:" : "", no_tpm2,
		*unread ? "\n\nDevices whose header could not be read:" : "", unread);
	json_t *e = report_new("Detected LUKS devices unsuitable for in-place upgrade.", summary, "high");
	report_add_group(e, "boot");
	report_add_group(e, "encryption");
	report_add_group(e, "inhibitor");
	if (*luks1) {
		report_add_hint(e, "Convert the LUKS1 devices to LUKS2 (cryptsetup convert --type luks2 DEVICE, after a "
				   "backup of the header) and bind them to the TPM2 with clevis; if that is not possible, "
				   "install the target release instead of upgrading.");
		_cleanup_free_ char *url = xasprintf("https://red.ht/convert-to-luks2-rhel%d", src);
		report_add_external(e, url, "LUKS versions in RHEL: Conversion");
	}
	if (*unread)
		report_add_hint(e, "Make the devices readable where leapp runs, or mark the crypttab entries of devices that "
				   "are not unlocked at boot noauto (or remove stale entries).");
	if (*no_tpm2) {
		report_add_hint(e, "Bind each device to the TPM2 with clevis: clevis luks bind -d DEVICE tpm2 '{}'.");
		_cleanup_free_ char *url = xasprintf("https://red.ht/clevis-tpm2-luks-auto-unlock-rhel%d", src);
		report_add_external(e, url, "Configuring manual enrollment of LUKS-encrypted volumes by using a TPM 2.0 policy");
	}
	actor_report(e);
}

static void list_add(char **list, const char *s)
{
	char *n = xasprintf("%s\n    - %s", *list, s);
	free(*list);
	*list = n;
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *ld = actor_consume_last("LuksDumps");
	json_t *ipu = ipu_config_get();
	_cleanup_free_ char *luks1 = xstrdup(""), *no_tpm2 = xstrdup(""), *unread = xstrdup("");
	size_t i, ok = 0;
	json_t *d;
	json_array_foreach(json_object_get(ld, "dumps"), i, d) {
		json_int_t v = json_integer_value(json_object_get(d, "version"));
		const char *err = json_string_value(json_object_get(d, "error"));
		if (v == 0 && err && json_is_null(json_object_get(d, "device"))) {
			/* not found or not readable: a device the boot unlocks that nobody checked */
			_cleanup_free_ char *line = xasprintf("%s (%s)", json_string_value(json_object_get(d, "source")) ?: "?", err);
			list_add(&unread, line);
			continue;
		}
		if (v == 0) {
			/* readable without a LUKS header: plain dm-crypt (e.g. a swap with a random key) */
			actor_warning("%s: no LUKS header (plain dm-crypt?): not checked",
				      json_string_value(json_object_get(d, "source")) ?: "?");
			continue;
		}
		if (v == 1)
			list_add(&luks1, dump_name(d));
		else if (!has_tpm2_token(d))
			list_add(&no_tpm2, dump_name(d));
		else
			ok++;
	}
	if (*luks1 || *no_tpm2 || *unread)
		inhibit(ipu, luks1, no_tpm2, unread);
	else if (ok) {
		actor_produce("UpgradeInitramfsTasks",
			      json_pack("{s:[{s:s, s:n}, {s:s, s:n}]}", "include_dracut_modules", "name", "clevis",
					"module_path", "name", "clevis-pin-tpm2", "module_path"));
		actor_produce("TargetUserSpaceTasks",
			      json_pack("{s:[s,s,s,s,s,s], s:s, s:s}", "packages", "clevis", "clevis-dracut", "clevis-luks",
					"cryptsetup", "tpm2-tss", "tpm2-tools", "reason",
					"the upgrade initramfs unlocks the LUKS devices with clevis and the TPM2", "requester",
					"check_luks"));
		actor_produce("UpgradeKernelCmdlineArgTasks",
			      json_pack("{s:[{s:s, s:n}]}", "to_remove", "key", "rd.luks.uuid", "value"));
		actor_info("%zu LUKS2 device(s) with a clevis TPM2 token: clevis goes into the upgrade initramfs", ok);
	}
	json_decref(ld);
	json_decref(ipu);
	return actor_finish();
}

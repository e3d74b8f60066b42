/* Checks: an EFI system needs efibootmgr (upstream's eficheckboot): the upgrade sets BootNext
 * with it so that the firmware boots the system's own entry once, whatever BootOrder says. */
#include "sys.h"
#include "leapp/actor.h"

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *ff = actor_consume_last("FirmwareFacts");
	const char *fw = json_string_value(json_object_get(ff, "firmware"));
	if (fw && !strcmp(fw, "efi") && !json_is_true(json_object_get(ff, "efibootmgr"))) {
		json_t *e = report_new("efibootmgr package is required on EFI systems",
				       "The system boots with EFI and /usr/sbin/efibootmgr is not installed. The upgrade "
				       "uses it to make the firmware boot the upgrade once (BootNext) without touching "
				       "BootOrder; without it the firmware may boot something else in between.",
				       "high");
		report_add_group(e, "inhibitor");
		report_add_group(e, "boot");
		report_add_command(e, (const char *const[]){"dnf", "-y", "install", "efibootmgr", NULL});
		report_add_resource(e, "package", "efibootmgr");
		actor_report(e);
	}
	json_decref(ff);
	return actor_finish();
}

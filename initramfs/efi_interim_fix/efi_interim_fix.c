/* InterimPreparation: on EFI, BootNext = BootCurrent, so that the firmware boots this system's
 * boot loader (which boots the upgrade entry) once even when BootOrder starts with something
 * else; BootOrder is the admin's and stays (upstream's efibootorderfix interim actor). */
#include "boot.h"
#include "fs.h"
#include "sys.h"
#include "leapp/actor.h"

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *ff = actor_consume_last("FirmwareFacts");
	const char *fw = json_string_value(json_object_get(ff, "firmware"));
	if (fw && !strcmp(fw, "efi")) {
		bool set = false;
		_cleanup_free_ char *entry = NULL;
		const char *scratch = actor_scratch_dir();
		_cleanup_free_ char *log = scratch ? xasprintf("%s/efibootmgr.log", scratch) : NULL;
		int r = efi_bootnext_ensure(actor_root(), log, &set, &entry);
		_cleanup_free_ char *what = efi_bootnext_describe(r, set, entry);
		actor_log(r < 0 ? LOG_LEVEL_WARNING : LOG_LEVEL_INFO, "%s", what);
	}
	json_decref(ff);
	return actor_finish();
}

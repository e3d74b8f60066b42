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
	efi_bootnext_step();
	return actor_finish();
}

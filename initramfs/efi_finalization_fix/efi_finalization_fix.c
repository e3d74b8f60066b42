/* Finalization: BootNext = BootCurrent again before the reboot into the upgraded system
 * (upstream's efibootorderfix finalization actor); see efi_interim_fix. */
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

/* The boot loader steps of the interim phases: BootNext on EFI, GRUB's core image on BIOS. */
#ifndef INITRAMFS_BOOTFIX_H
#define INITRAMFS_BOOTFIX_H

#include <stdbool.h>

/*
 * EFI: make the firmware boot the entry it booted this time (BootCurrent) once more, whatever
 * BootOrder says, by setting BootNext, unless BootNext is set already (upstream's
 * efi_reboot_fix). BootOrder is not touched. efibootmgr runs in root (chrooted when root is
 * not "/"); log_path gets its output. Returns 0 (ret_set: BootNext was set, ret_entry: the
 * entry, malloc'd) or -errno; -ENOENT: no efibootmgr in root.
 */
int efi_bootnext_ensure(const char *root, const char *log_path, bool *ret_set, char **ret_entry);

/* The whole step of efi_interim_fix and efi_finalization_fix: consume FirmwareFacts and, on
 * EFI, efi_bootnext_ensure() in the actor's root, logging what was done. */
void efi_bootnext_step(void);

/* Run grub2-install DEVICE in root (chrooted when root is not "/"). Returns 0 with the exit
 * status in *ret_status, or -errno (-ENOENT: no grub2-install in root). */
int grub_core_install(const char *root, const char *device, const char *log_path, int *ret_status);

#endif

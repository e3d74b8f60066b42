/* Code the live-mode actors share: the live-mode configuration, where the image lives, the kernel
 * command line of the live boot, and the paths of the live system. */
#ifndef LIVEMODE_LIVELIB_H
#define LIVEMODE_LIVELIB_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>


/* Where the live system mounts the system being upgraded (its fstab says so); /sysroot is a
 * link to it. Not dmsquash-live's own /run/initramfs/live: that is the filesystem holding the
 * image, which is the root only when the image is on the root filesystem. */
#define LIVE_SYSROOT "/run/upgrade"
/* The build area in the target userspace (dracut's files, the payload): left out of the image. */
#define LIVE_AREA "/var/lib/leapp-liveimage"
/* The system's kernel command line in the live image (the upgrade script binds it over
 * /sysroot/proc/cmdline for the RPM scriptlets). */
#define LIVE_SYSTEM_CMDLINE "/etc/leapp-live/system-cmdline"
/* The failure flag the upgrade script leaves (the same as the upgrade initramfs'). */
#define LIVE_FAILED_FLAG "/var/lib/leapp/upgrade-initramfs.failed"
/* Only leapp's state directory is writable before the reboot (DESIGN.md section 6). */
#define LIVE_IMAGE_DIR "/var/lib/leapp/"

/* Rough figures for the report (the userspace does not exist yet in FactsCollection): the
 * squashfs of a minimal target userspace with its kernel, NetworkManager and sshd, and the RAM of
 * the live system running the RPM transaction (plus the whole image when it is fetched over
 * the network into memory). */
#define LIVE_IMAGE_ESTIMATE_MIB 2048
#define LIVE_MEMORY_MIB 2048

/* The last LiveModeConfig when live mode is enabled (new reference), else NULL. */
json_t *live_config_get(void);
/* live_config_get(), or (live mode not enabled) say so and end the actor successfully. */
json_t *live_config_or_finish(void);
const char *live_str(json_t *cfg, const char *key); /* "" when absent */
bool live_bool(json_t *cfg, const char *key);

/*
 * additional_packages as the configuration gives it: a list of names, or the seed's string
 * "pkg1,pkg2" (commas and/or spaces). Returns a new list of names, or NULL with the reason in
 * *ret_err (malloc'd): not a list or string, a name that is not one (empty, spaces, quotes).
 */
json_t *live_packages_parse(json_t *v, char **ret_err);

/* A path as the scanner accepts it: absolute, no "//", "/./", "/../", no trailing '/'. */
bool live_path_clean(const char *p);

/*
 * The filesystem that holds path (an absolute path on the system), from StorageInfo: the fstab
 * entry whose mount point is the longest prefix of path (the mounts when fstab is unknown).
 * Returns a LiveImageFilesystem object (uuid null when unknown; the caller decides), or NULL
 * with the reason in *ret_err (no filesystem found, a network or virtual filesystem).
 */
json_t *live_image_filesystem(json_t *storage, const char *path, bool on_host, char **ret_err);

/* The filesystem types the live system mounts (and dmsquash-live holds the image on): xfs, ext4,
 * ext3, vfat. */
bool live_fstype(const char *type);

/* The arguments the live boot needs (UpgradeKernelCmdlineArgTasks data) for cfg. */
json_t *live_cmdline_tasks(json_t *cfg);

#endif

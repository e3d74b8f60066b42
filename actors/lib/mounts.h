/* fstab and mountinfo through libmount, UUIDs through libblkid, and "which mount holds this path". */
#ifndef ACTORS_MOUNTS_H
#define ACTORS_MOUNTS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mount_entry {
	char *source;      /* as written: UUID=..., /dev/vda1, host:/export */
	char *target;      /* mount point */
	char *fstype;
	char *options;     /* fstab: the options field; mountinfo: the VFS (per-mount) options */
	char *fs_options;  /* mountinfo: the super block options; fstab: NULL */
	char *uuid;        /* UUID= tag, or libblkid's answer for a device; NULL: unknown */
	bool network;      /* a network filesystem (libmount's netfs list: nfs, nfs4, cifs, smb3, ...) */
	int freq, passno;  /* fstab */
	int line;          /* fstab: the line number; mountinfo: 0 */
};

struct mount_list {
	struct mount_entry *v;
	size_t n;
	char **warnings;   /* parse problems ("/etc/fstab:12: ..."), the rest of the file is used */
	size_t n_warnings;
};

/* Parse an fstab file. shown: the name in warnings ("/etc/fstab"). Returns 0 or -errno
 * (-ENOENT: absent). */
int fstab_load(const char *path, const char *shown, struct mount_list *ret);
/* Parse a mountinfo file (proc/self/mountinfo format), or the same text from memory. */
int mountinfo_load(const char *path, const char *shown, struct mount_list *ret);
int mountinfo_parse(const char *data, size_t len, const char *shown, struct mount_list *ret);
void mount_list_clear(struct mount_list *l);

/* The entry whose target is the longest prefix of path (the mount that holds it), or NULL. */
const struct mount_entry *mount_list_find_for_path(const struct mount_list *l, const char *path);
/* The entry with exactly this target (the last one, as the kernel stacks mounts), or NULL. */
const struct mount_entry *mount_list_find_target(const struct mount_list *l, const char *target);

/* A network filesystem type? (nfs, nfs4, cifs, smb3, ... as libmount knows them) */
bool fstype_is_network(const char *fstype);

/* libblkid: the filesystem UUID of a block device, or NULL. Only meaningful on the host. */
char *blkid_uuid_of(const char *device);

/* JSON in the shapes of the FstabEntry and MountEntry models (libmsg/models/facts.yaml). */
json_t *fstab_entry_to_json(const struct mount_entry *e);
json_t *mount_entry_to_json(const struct mount_entry *e);

/* statvfs of path, walking up to the nearest existing directory; ret_checked gets it. */
int free_space_of(const char *path, uint64_t *ret_total, uint64_t *ret_avail, char **ret_checked);

#endif

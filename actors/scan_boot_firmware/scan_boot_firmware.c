/* FactsCollection: how the machine boots (upstream's FirmwareFacts and scangrubdevice). On BIOS,
 * GRUB's core image sits in the gap after each disk's MBR and no package update replaces it:
 * the disks behind /boot (RAID members and device-mapper slaves resolved through sysfs) whose
 * first sector is GRUB's are where it is reinstalled in Finalization. Everything is read under
 * --root: sys/firmware/efi, sys/block, and the disks' first sectors under dev/. */
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sys.h"
#include "leapp/actor.h"
#include "fs.h"

static bool root_exists(const char *abs, bool want_dir)
{
	_cleanup_close_ int fd = fs_root_open(abs, O_PATH, 0);
	struct stat st;
	return fd >= 0 && fstat(fd, &st) == 0 && (!want_dir || S_ISDIR(st.st_mode));
}

/* Names of the entries of a directory under the root (sorted), or NULL. */
static struct dirent **root_list(const char *abs, int *ret_n)
{
	_cleanup_free_ char *p = actor_path(abs);
	struct dirent **list = NULL;
	*ret_n = scandir(p, &list, NULL, alphasort);
	return *ret_n < 0 ? NULL : list;
}

static void list_free(struct dirent **list, int n)
{
	for (int i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

/* The block device name (sysfs) of a mount source: /dev/vda1 -> vda1, /dev/mapper/x -> dm-N. */
static char *source_to_name(const char *source)
{
	if (strncmp(source, "/dev/", 5))
		return NULL;
	if (strncmp(source, "/dev/mapper/", 12))
		return xstrdup(strrchr(source, '/') + 1);
	int n;
	struct dirent **list = root_list("/sys/block", &n);
	char *found = NULL;
	for (int i = 0; i < n && !found; i++) {
		_cleanup_free_ char *f = xasprintf("/sys/block/%s/dm/name", list[i]->d_name);
		_cleanup_free_ char *data = NULL;
		size_t len;
		if (fs_root_read(f, 4096, &data, &len) == 0) {
			data[strcspn(data, "\n")] = 0;
			if (!strcmp(data, source + 12))
				found = xstrdup(list[i]->d_name);
		}
	}
	list_free(list, n);
	return found;
}

/* Add the whole disks under a block device name to disks: a partition's disk, a RAID's or a
 * device-mapper device's members (slaves), recursively. */
static void disks_of(const char *name, json_t *disks, int depth)
{
	if (depth > 8)
		return;
	_cleanup_free_ char *blk = xasprintf("/sys/block/%s", name);
	if (!root_exists(blk, true)) {
		/* a partition: /sys/block/<disk>/<name> */
		int n;
		struct dirent **list = root_list("/sys/block", &n);
		for (int i = 0; i < n; i++) {
			_cleanup_free_ char *part = xasprintf("/sys/block/%s/%s", list[i]->d_name, name);
			if (list[i]->d_name[0] != '.' && root_exists(part, true))
				disks_of(list[i]->d_name, disks, depth + 1);
		}
		list_free(list, n);
		return;
	}
	_cleanup_free_ char *slaves = xasprintf("/sys/block/%s/slaves", name);
	int n;
	struct dirent **list = root_list(slaves, &n);
	int members = 0;
	for (int i = 0; i < n; i++)
		if (list[i]->d_name[0] != '.') {
			disks_of(list[i]->d_name, disks, depth + 1);
			members++;
		}
	list_free(list, n);
	if (!members) {
		_cleanup_free_ char *dev = xasprintf("/dev/%s", name);
		size_t i;
		json_t *d;
		json_array_foreach(disks, i, d)
			if (!strcmp(json_string_value(d), dev))
				return;
		json_array_append_new(disks, json_string(dev));
	}
}

/* Does the disk's first sector hold GRUB's boot code (the "GRUB" string of boot.img)? */
static bool has_grub(const char *dev)
{
	_cleanup_close_ int fd = fs_root_open(dev, O_RDONLY, 0);
	char buf[512];
	ssize_t n = fd < 0 ? -1 : pread(fd, buf, sizeof(buf), 0);
	if (n < 0)
		actor_warning("%s: cannot read its first sector (%s): GRUB not looked for there", dev,
			      strerror(fd < 0 ? -fd : errno));
	return n > 0 && memmem(buf, (size_t)n, "GRUB", 4);
}

static void scan_grub_devices(void)
{
	json_t *si = actor_consume_last("StorageInfo");
	json_t *mounts = json_object_get(si, "mounts"), *m, *boot = NULL;
	size_t i;
	json_array_foreach(mounts, i, m) {
		const char *t = json_string_value(json_object_get(m, "target"));
		if (t && (!strcmp(t, "/boot") || (!strcmp(t, "/") && !boot)))
			boot = m;
	}
	const char *source = json_string_value(json_object_get(boot, "source"));
	_cleanup_free_ char *name = source ? source_to_name(source) : NULL;
	if (!name || !root_exists("/sys/block", true)) {
		actor_warning("the device of /boot (%s) is not known in /sys/block: GRUB's disks not scanned", source ?: "?");
		json_decref(si);
		return;
	}
	json_t *disks = json_array(), *d, *grub = json_array();
	disks_of(name, disks, 0);
	json_array_foreach(disks, i, d)
		if (has_grub(json_string_value(d)))
			json_array_append(grub, d);
	actor_info("/boot on %s: %zu disk(s), GRUB on %zu", source, json_array_size(disks), json_array_size(grub));
	actor_produce("GrubInfo", json_pack("{s:o}", "orig_devices", grub));
	json_decref(disks);
	json_decref(si);
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	bool efi = root_exists("/sys/firmware/efi", true);
	bool mgr = root_exists("/usr/sbin/efibootmgr", false);
	actor_produce("FirmwareFacts", json_pack("{s:s, s:b}", "firmware", efi ? "efi" : "bios", "efibootmgr", mgr));
	json_t *ipu = ipu_config_get();
	const char *arch = ipu_str(ipu, "architecture");
	if (!efi && (!arch || strcmp(arch, "s390x"))) /* s390x boots with zipl */
		scan_grub_devices();
	json_decref(ipu);
	return actor_finish();
}

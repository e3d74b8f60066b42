/* FactsCollection: VDO volumes that release 9 cannot use (upstream's vdoconversionscanner, which
 * asks vdoprepareforlvm --check and blkid; we read the blocks ourselves, so the vdo package is
 * not needed and no device is "undetermined" for want of it). Release 9 manages VDO only
 * through LVM: a volume of the old vdo manager has its geometry block ("dmvdo001") at offset 0;
 * vdoprepareforlvm moves it further in to make room for LVM's metadata, and the conversion is
 * complete once the device carries an LVM PV label ("LABELONE" ... "LVM2 001" in one of its
 * first four sectors). The geometry is looked for in the first 4 MiB, 4 KiB aligned. Devices:
 * the disks without partitions and the partitions in sys/block (no device-mapper, md, loop,
 * ram, zram, sr), 4 MiB or more, read under --root. */
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include "sys.h"
#include "leapp/actor.h"
#include "fs.h"

#define VDO_MAGIC "dmvdo001"
#define SCAN_BYTES (4u << 20)
#define MIN_BYTES (4u << 20)

static bool skipped_name(const char *n)
{
	static const char *const prefixes[] = {".", "dm-", "md", "loop", "ram", "zram", "sr", "fd", "nbd"};
	for (size_t i = 0; i < ELEMENTSOF(prefixes); i++)
		if (!strncmp(n, prefixes[i], strlen(prefixes[i])))
			return true;
	return false;
}

/* sys/block size (512-byte sectors); -1 unknown */
static long long sectors(const char *sysdir)
{
	_cleanup_free_ char *f = xasprintf("%s/size", sysdir);
	_cleanup_free_ char *data = NULL;
	size_t len;
	if (fs_root_read(f, 64, &data, &len) < 0)
		return -1;
	return atoll(data);
}

/* Classify one device: 0 not VDO, 1 pre-conversion, 2 post-conversion incomplete,
 * 3 post-conversion complete; -errno when it cannot be read. */
static int vdo_state(const char *dev)
{
	_cleanup_close_ int fd = fs_root_open(dev, O_RDONLY, 0);
	if (fd < 0)
		return fd;
	_cleanup_free_ unsigned char *buf = xmalloc(SCAN_BYTES);
	ssize_t n = pread(fd, buf, SCAN_BYTES, 0);
	if (n < 0)
		return -errno;
	if (n >= 8 && !memcmp(buf, VDO_MAGIC, 8))
		return 1;
	bool moved = false;
	for (ssize_t off = 4096; off + 8 <= n && !moved; off += 4096)
		moved = !memcmp(buf + off, VDO_MAGIC, 8);
	if (!moved)
		return 0;
	for (int s = 0; s < 4 && (s + 1) * 512 <= n; s++)
		if (!memcmp(buf + s * 512, "LABELONE", 8) && !memcmp(buf + s * 512 + 24, "LVM2 001", 8))
			return 3;
	return 2;
}

static void check_device(const char *name, const char *sysdir, json_t *pre, json_t *post, json_t *und)
{
	long long sz = sectors(sysdir);
	if (sz >= 0 && sz * 512 < MIN_BYTES)
		return;
	_cleanup_free_ char *dev = xasprintf("/dev/%s", name);
	int st = vdo_state(dev);
	if (st < 0) {
		_cleanup_free_ char *why = xasprintf("cannot read %s: %s", dev, strerror(-st));
		actor_warning("%s", why);
		json_array_append_new(und, json_pack("{s:s, s:b, s:s}", "name", name, "check_failed", true, "failure", why));
	} else if (st == 1)
		json_array_append_new(pre, json_pack("{s:s}", "name", name));
	else if (st >= 2)
		json_array_append_new(post, json_pack("{s:s, s:b}", "name", name, "complete", st == 3));
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *pre = json_array(), *post = json_array(), *und = json_array();
	_cleanup_free_ char *sb = actor_path("/sys/block");
	struct dirent **disks = NULL;
	int nd = scandir(sb, &disks, NULL, alphasort);
	if (nd < 0)
		actor_warning("/sys/block: %s: no devices checked for VDO", strerror(errno));
	for (int i = 0; i < nd; i++) {
		const char *d = disks[i]->d_name;
		if (!skipped_name(d)) {
			_cleanup_free_ char *sysdir = xasprintf("/sys/block/%s", d);
			_cleanup_free_ char *full = actor_path(sysdir);
			struct dirent **parts = NULL;
			int np = scandir(full, &parts, NULL, alphasort), nparts = 0;
			for (int k = 0; k < np; k++) {
				if (!strncmp(parts[k]->d_name, d, strlen(d)) && strcmp(parts[k]->d_name, d)) {
					_cleanup_free_ char *psys = xasprintf("%s/%s", sysdir, parts[k]->d_name);
					check_device(parts[k]->d_name, psys, pre, post, und);
					nparts++;
				}
				free(parts[k]);
			}
			free(parts);
			if (!nparts) /* a disk with partitions holds them, not a volume of its own */
				check_device(d, sysdir, pre, post, und);
		}
		free(disks[i]);
	}
	free(disks);
	actor_produce("VdoConversionInfo", json_pack("{s:o, s:o, s:o}", "pre_conversion", pre, "post_conversion", post,
						     "undetermined_conversion", und));
	return actor_finish();
}

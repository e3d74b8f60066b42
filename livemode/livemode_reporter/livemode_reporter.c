/* FactsCollection (live mode): the report that live mode is on, what its squashfs image needs on
 * the filesystem that will hold it and what the live system needs in memory (the image too when
 * it is fetched over the network: livenet loads it into RAM). Not enough of either inhibits the
 * upgrade. The figures are estimates (livelib.h): the target userspace is made only in
 * InterimPreparation; live_image_generator says the real size. */
#include "leapp/actor.h"
#include "livelib.h"
#include "sys.h"

#define MIB (1024.0 * 1024.0)

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *cfg = live_config_or_finish();
	const char *image = live_str(cfg, "squashfs_image_path");
	const char *url = live_str(cfg, "url_to_load_squashfs_image_from");
	json_t *fs = json_object_get(cfg, "image_filesystem");
	uint64_t need_disk = (uint64_t)LIVE_IMAGE_ESTIMATE_MIB << 20;
	uint64_t need_mem = ((uint64_t)LIVE_MEMORY_MIB + (*url ? LIVE_IMAGE_ESTIMATE_MIB : 0)) << 20;

	/* the free space where the image goes (its directory, or the nearest existing parent) */
	_cleanup_free_ char *dir = xstrdup(image);
	*strrchr(dir, '/') = 0;
	_cleanup_free_ char *hdir = actor_path(*dir ? dir : "/");
	uint64_t total = 0, avail = 0;
	int r = mount_free_space_get(hdir, &total, &avail, NULL);
	bool disk_known = r == 0;

	json_t *mem = actor_consume_last("MemoryInfo");
	json_t *kib = json_object_get(mem, "mem_total_kib");
	bool mem_known = json_is_integer(kib);
	uint64_t mem_total = mem_known ? (uint64_t)json_integer_value(kib) * 1024 : 0;

	const char *mp = fs ? live_str(fs, "mountpoint") : "";
	_cleanup_free_ char *where = *mp ? xasprintf("the %s filesystem%s%s%s", mp, json_is_string(json_object_get(fs, "uuid")) ? " (UUID " : "",
						      json_is_string(json_object_get(fs, "uuid")) ? live_str(fs, "uuid") : "",
						      json_is_string(json_object_get(fs, "uuid")) ? ")" : "")
					  : xstrdup("its filesystem");
	_cleanup_free_ char *disk = disk_known ? xasprintf("%.0f MiB free", avail / MIB) : xstrdup("free space unknown");
	_cleanup_free_ char *memtxt = mem_known ? xasprintf("the machine has %.0f MiB", mem_total / MIB) : xstrdup("the memory is unknown");
	_cleanup_free_ char *summary = xasprintf(
		"The upgrade will run from a live image instead of the upgrade initramfs (experimental, unsupported). Its "
		"squashfs image %s needs about %.0f MiB on %s (%s). The live system needs about %.0f MiB of memory%s; %s.%s",
		image, need_disk / MIB, where, disk, need_mem / MIB,
		*url ? ", with the image, which is fetched over the network into memory" : "", memtxt,
		*url ? "" : " It boots from the local disk.");
	json_t *e = report_new("Live upgrade mode is enabled", summary, "high");
	report_add_group(e, "boot");
	report_add_resource(e, "file", "/etc/leapp/actor_conf.d");
	actor_report(e);
	actor_info("%s", summary);

	if (disk_known && avail < need_disk) {
		_cleanup_free_ char *s = xasprintf("The live image %s needs about %.0f MiB on %s, which has %.0f MiB free.", image,
						   need_disk / MIB, where, avail / MIB);
		json_t *i = report_new("Not enough disk space for the live image", s, "high");
		report_add_group(i, "inhibitor");
		report_add_group(i, "filesystem");
		_cleanup_free_ char *hint = xasprintf("Free %.0f MiB on %s, or set livemode.squashfs_image_path elsewhere below "
						      "/var/lib/leapp.",
						      (need_disk - avail) / MIB, where);
		report_add_hint(i, hint);
		actor_report(i);
	}
	if (mem_known && mem_total < need_mem) {
		_cleanup_free_ char *s = xasprintf("The live system needs about %.0f MiB of memory%s; the machine has %.0f MiB.",
						   need_mem / MIB, *url ? " (the image is fetched into memory)" : "", mem_total / MIB);
		json_t *i = report_new("Not enough memory for the live upgrade mode", s, "high");
		report_add_group(i, "inhibitor");
		report_add_hint(i, *url ? "Add memory, or boot the image from the local disk (no url_to_load_squashfs_image_from)."
					: "Add memory, or upgrade without live mode.");
		actor_report(i);
	}
	json_decref(mem);
	json_decref(cfg);
	return actor_finish();
}
